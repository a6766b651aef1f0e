# The two everyday commands: `make run` (portal with demo data) and `make test` (whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint check messages bench-catalogue bench-matching bench-meetings bench-barometer bench-relevance bench-load clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml requirements/constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e ".[dev]"
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Kompetanseportalen: open http://$(HOST):$(PORT)/ and log in with a demo account above."
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

messages: install
	$(BIN)/python manage.py makemessages -l nb -l nn -l en --ignore=.venv --ignore=node_modules
	$(BIN)/python manage.py compilemessages --ignore=.venv

bench-catalogue: install
	$(BIN)/python bench/catalogue_search.py

bench-matching: install
	$(BIN)/python bench/matching_scale.py

bench-meetings: install
	$(BIN)/python bench/meeting_schedule.py

bench-barometer: install
	$(BIN)/python bench/barometer.py

bench-relevance: install
	$(BIN)/python bench/relevance.py

# The portal under gunicorn and 20 simulated users (locust); its own PostgreSQL database and
# Redis db 7 (LOAD_DATABASE_URL, LOAD_REDIS_URL). Options: make bench-load ARGS="--no-solo".
bench-load: install $(VENV)/.bench-installed
	$(BIN)/python bench/load_pages.py $(ARGS)

$(VENV)/.bench-installed: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e ".[bench]"
	touch $@

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
