# Two commands do everything: `make run` (the app with demo data) and `make test` (every test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run install dev test test-fast lint format lock check-deploy clean bench loadtest

run: install .env
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Open http://$(HOST):$(PORT)/ and log in with a demo account above."
	@# The task worker sends every email (printed here in development) beside the server,
	@# and stops when the server stops. Restart `make run` after changing a task.
	$(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

install: $(VENV)/.installed-base
dev: $(VENV)/.installed-dev

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The lock files pin every package to the versions the tests ran with.
$(VENV)/.installed-base: requirements/base.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.installed-dev: requirements/dev.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	touch $@ $(VENV)/.installed-base

.env:
	cp .env.example .env

test: dev .env
	$(BIN)/pytest

# Everything but the browser tests, for a quick loop while coding.
test-fast: dev .env
	$(BIN)/pytest -m "not browser"

# Minutes, not seconds, so neither is part of `make test`: see docs/benchmark.md.
# The benchmark: a 200,000-entry clinic in PostgreSQL, gunicorn, wrk and Lighthouse.
bench: dev
	bash bench/run

# The load test: 50 simulated patients and therapists for 3 minutes (locust).
loadtest: dev
	bash loadtest/run

lint: dev
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Re-pin after changing dependencies in pyproject.toml (needs uv: `pip install uv`).
lock:
	uv pip compile pyproject.toml --python-version 3.11 -o requirements/base.txt
	uv pip compile pyproject.toml --python-version 3.11 --extra dev -o requirements/dev.txt

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache test-artifacts
