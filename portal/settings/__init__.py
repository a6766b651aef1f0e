"""Settings entry point: development/test defaults; production lives in `production.py`."""

from .base import *  # noqa: F401,F403
