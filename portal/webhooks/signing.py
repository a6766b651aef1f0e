"""Signing per the Standard Webhooks specification.

Secrets are `whsec_` + base64 of 24 random bytes; the HMAC key is the decoded bytes. A delivery
carries `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature`: one or more
space-separated `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"


def secret_generate() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def signature(secret: str, *, msg_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signed_headers(secrets_: list[str], *, msg_id: str, timestamp: int, body: bytes) -> dict:
    """The three headers; during a secret rotation both secrets sign (receivers accept any)."""
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            signature(s, msg_id=msg_id, timestamp=timestamp, body=body) for s in secrets_),
    }
