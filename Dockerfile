FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext procps \
       libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 portal
WORKDIR /app

COPY pyproject.toml README.md ./
COPY requirements/ requirements/
COPY . .
RUN pip install -c requirements/constraints.txt . \
    && DJANGO_SETTINGS_MODULE=portal.settings.production SECRET_KEY=build-only ALLOWED_HOSTS=* \
       REDIS_URL=redis://build-only:6379/0 \
       python manage.py collectstatic --noinput \
    && DJANGO_SETTINGS_MODULE=portal.settings.production SECRET_KEY=build-only ALLOWED_HOSTS=* \
       REDIS_URL=redis://build-only:6379/0 \
       python manage.py compilemessages --ignore=.venv \
    && mkdir -p /app/media && chown -R portal:portal /app/media

USER portal
EXPOSE 8000
CMD ["gunicorn", "-c", "python:portal.gunicorn_config", "portal.wsgi:application"]
