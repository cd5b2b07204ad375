#!/usr/bin/env bash
# `make serve`: Socius in production on this machine, from the environment (docs/deploy.md): checks the
# deployment, migrates, collects the static files, then runs the Celery worker (the three queues, autoscaling),
# the beat and gunicorn together, and stops all three when one of them ends or on Ctrl-C / SIGTERM.
# For a real installation prefer the systemd units (deploy/systemd/) or compose.yaml: they restart what fails.
#
#   SOCIUS_ENV_FILE=/etc/socius/socius.env make serve
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${SOCIUS_ENV_FILE:-}" ]; then
  set -a
  # shellcheck disable=SC1090
  . "$SOCIUS_ENV_FILE"
  set +a
fi
export DJANGO_SETTINGS_MODULE=config.settings.production
BIN=${BIN:-.venv/bin}

"$BIN/python" manage.py check --deploy --fail-level WARNING
"$BIN/python" manage.py migrate --noinput
"$BIN/python" manage.py collectstatic --noinput --verbosity 0

pids=()
stop() {
  trap - TERM INT EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait || true
}
trap stop TERM INT EXIT

"$BIN/celery" -A config worker --queues default,reports,payments \
  --autoscale "${SOCIUS_WORKER_MAX:-4},${SOCIUS_WORKER_MIN:-1}" --loglevel INFO &
pids+=($!)
"$BIN/celery" -A config beat --loglevel INFO --schedule "${SOCIUS_VAR_DIR:-var}/celerybeat-schedule" &
pids+=($!)
"$BIN/gunicorn" --config config/gunicorn.py &
pids+=($!)

# Whichever ends first ends the others.
wait -n
