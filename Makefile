# Passerelle — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench install messages compilemessages lint format worker beat clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

node_modules/axe-core/axe.min.js: package.json
	npm install --no-audit --no-fund --silent
	touch $@

# The .mo files are committed; recompile them only where gettext is installed.
compilemessages: $(STAMP)
	@if command -v msgfmt >/dev/null; then \
		$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0; \
	else echo "gettext is not installed: using the committed .mo files"; fi

## Serve the demo site on http://127.0.0.1:8000 (SQLite, no Redis needed). Idempotent.
run: $(STAMP) compilemessages
	mkdir -p var
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py load_demo_content
	$(PY) manage.py runserver $(HOST):$(PORT)

## Run the whole suite (browser tests included). PYTEST_WORKERS=2 spreads it over two processes
## (pytest-xdist; the tests that start a Celery worker stay together in one of them).
PYTEST_WORKERS ?= 1
test: $(STAMP) node_modules/axe-core/axe.min.js compilemessages
	$(VENV)/bin/pytest $(if $(filter-out 0 1,$(PYTEST_WORKERS)),-n $(PYTEST_WORKERS) --dist loadgroup) $(PYTEST_ARGS)

## Print the benchmark figures (on PostgreSQL and Redis when they answer, as CI does).
bench: $(STAMP) compilemessages
	PASSERELLE_DB_NAME=passerelle_bench PASSERELLE_REDIS_DB=13 bash -c 'source .ci/services.sh >&2; DJANGO_SETTINGS_MODULE=lms.settings.test $(PY) -m bench'

## Extract UI strings into the fr and ar catalogues.
messages: $(STAMP)
	$(PY) manage.py makemessages -l fr -l ar --ignore=.venv --ignore=node_modules --ignore=var --no-obsolete

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/djhtml --check templates

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: $(STAMP)
	$(VENV)/bin/celery -A lms worker -l info

beat: $(STAMP)
	$(VENV)/bin/celery -A lms beat -l info

clean:
	rm -rf var/test-media var/artifacts
