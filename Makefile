# Socius: `make run` serves a demo on http://127.0.0.1:8000, `make test` runs every check.
# Needs only Python 3.11 (python3) and make. Honours PORT, DATABASE_URL, SOCIUS_DEMO_PASSWORD.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PORT ?= 8000
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run install install-dev messages catalogues migrate demo test lint check-migrations check-imports \
        check-messages test-sqlite test-postgres lock clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==0.13.9

$(STAMP): requirements.txt | $(PY)
	$(BIN)/uv pip install --quiet --python $(PY) -r requirements.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(BIN)/uv pip install --quiet --python $(PY) -r requirements.txt -r requirements-dev.txt
	touch $@ $(STAMP)

install: $(STAMP)
install-dev: $(DEV_STAMP)

messages: $(STAMP)
	$(PY) manage.py compile_catalogues

# Refresh the catalogues from the code (new msgids arrive untranslated; see scripts/translations.py).
catalogues: $(DEV_STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemessages --no-location --no-obsolete \
	  -l pl -l ro -l lt -l ru -l en --ignore '.venv/*' --ignore 'var/*' --ignore 'bench/*'
	$(PY) scripts/po_headers.py

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

# The demo as its users meet it: DEBUG off (friendly error pages), gunicorn with 2 x cores + 1 workers
# (config/gunicorn.py), static files collected and served by whitenoise (config/settings/demo.py).
run: messages demo
	@$(PY) manage.py demo_logins
	DJANGO_SETTINGS_MODULE=config.settings.demo $(PY) manage.py collectstatic --noinput --verbosity 0
	DJANGO_SETTINGS_MODULE=config.settings.demo PORT=$(PORT) SOCIUS_PDF_WARM_UP=1 exec $(BIN)/gunicorn --config config/gunicorn.py

# Production on this machine, settings from the environment (or SOCIUS_ENV_FILE): PostgreSQL, Redis, gunicorn,
# the Celery worker and the beat (deploy/serve.sh; docs/deploy.md). compose.yaml and deploy/systemd/ for real hosts.
.PHONY: serve
serve: messages
	BIN=$(BIN) exec deploy/serve.sh

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check-migrations: $(DEV_STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

check-imports: $(DEV_STAMP)
	$(BIN)/lint-imports

check-messages: $(DEV_STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py compile_catalogues --check-complete
	$(PY) scripts/catalogue_covers_code.py

test-sqlite: $(DEV_STAMP)
	env -u DATABASE_URL $(BIN)/pytest

# Runs the suite again on PostgreSQL when one is reachable (DATABASE_URL, else 127.0.0.1:5432).
# SOCIUS_REQUIRE_POSTGRES=1 (set by .ci/run) turns "not reachable" into a failure.
test-postgres: $(DEV_STAMP)
	@url=$$($(PY) scripts/postgres_url.py) ; status=$$? ; \
	if [ $$status -eq 0 ]; then echo "== PostgreSQL: $$url" ; DATABASE_URL=$$url $(BIN)/pytest ; \
	elif [ "$$SOCIUS_REQUIRE_POSTGRES" = "1" ]; then echo "PostgreSQL is required (SOCIUS_REQUIRE_POSTGRES=1) but not reachable." ; exit 1 ; \
	else echo "PostgreSQL not reachable: the PostgreSQL pass was NOT run." ; fi

# The two database passes run side by side (one core each): the suite is single-threaded, and the machines
# that run it have two cores. --output-sync keeps each pass's report in one piece.
test: lint check-migrations check-imports check-messages
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

lock: $(PY)
	$(BIN)/uv pip compile -q requirements.in -o requirements.txt --python-version 3.11
	$(BIN)/uv pip compile -q requirements-dev.in -o requirements-dev.txt --python-version 3.11

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
