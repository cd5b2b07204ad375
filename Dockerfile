# The Socius image: one image for the web (gunicorn), the Celery workers and the beat (compose.yaml).
# Production settings from the environment (docs/deploy.md); nothing secret is baked in.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    SOCIUS_VAR_DIR=/var/lib/socius \
    SOCIUS_STATIC_ROOT=/app/staticfiles \
    SOCIUS_BIND=0.0.0.0:8000

# WeasyPrint's libraries (decisions, reports, cash lists as PDF) and the fonts of the five languages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
       fonts-dejavu-core fonts-noto-core \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin socius

WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-cache-dir --disable-pip-version-check -r requirements.txt
COPY . .
# Catalogues compiled and static files collected at build time: the containers start without writing code.
RUN export SOCIUS_SECRET_KEY=build-only-not-used-at-run-time \
    && python manage.py compile_catalogues \
    && python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /var/lib/socius/media && chown -R socius /var/lib/socius

USER socius
EXPOSE 8000
CMD ["gunicorn", "--config", "config/gunicorn.py"]
