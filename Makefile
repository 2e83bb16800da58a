# Plantrack — the two commands of the README, and the steps they are made of.
# Needs only Python 3.11+ and make; everything else is installed into .venv from the lock files.
#
#   make run                 install, migrate data/plantrack.sqlite3, load plan 386/KH-UBND + demo accounts, serve
#                            (with the task worker beside the server)
#   make test                install and run the whole suite (DATABASE_URL=postgres://… runs it on PostgreSQL)
#   make run PORT=8080       another port;  make test PYTEST_ARGS="-k smoke -x"  pass options to pytest
#   make ci                  what CI runs (.ci/run): both databases, ruff, migration and deploy checks, browser

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
export PLANTRACK_ENV ?= dev
DATA_DIR := $(or $(PLANTRACK_DATA_DIR),data)

.PHONY: run test install migrate load lint check ci clean

$(BIN)/.installed: requirements-dev.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Plantrack needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements-dev.lock
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	touch $@

install: $(BIN)/.installed

migrate: install
	@mkdir -p "$(DATA_DIR)"
	$(BIN)/python manage.py migrate --noinput

load: migrate
	$(BIN)/python manage.py load_default

## make run — install, migrate the SQLite database in data/, load plan 386/KH-UBND and demo accounts, serve.
## The task worker (report builds) runs beside the server and stops with it (Ctrl-C).
## Plan import OCR (tesseract-ocr, tesseract-ocr-vie, poppler-utils) and .doc conversion (LibreOffice) are optional
## Debian packages: without them `make run` still works and the import page says OCR is not installed.
run: load
	@echo "Plantrack: http://$(HOST):$(PORT)/"
## The worker is in its own process group and stopped by its main process: a signal to the whole group would kill
## its sentinel abruptly and could leave it hanging.
	@setsid $(BIN)/python manage.py qcluster & worker=$$!; \
		trap 'kill -TERM $$worker 2>/dev/null; for i in $$(seq 1 100); do kill -0 $$worker 2>/dev/null || break; \
			sleep 0.1; done; kill -KILL -- -$$worker 2>/dev/null; true' EXIT; \
		trap 'exit 130' INT TERM; \
		$(BIN)/python manage.py runserver $(HOST):$(PORT)

## make test — the whole suite (SQLite by default; set DATABASE_URL=postgres://… to run it on PostgreSQL).
# Parallel on every core (pytest-xdist); a test file stays on one worker (module fixtures are built once).
PYTEST_WORKERS ?= auto
test: install
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: install
	@mkdir -p "$(DATA_DIR)"
	$(BIN)/python manage.py makemigrations --check --dry-run

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) staticfiles .pytest_cache test-artifacts
