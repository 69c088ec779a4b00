# Two commands for a fresh Debian machine with python3, python3-venv and make:
#   make run    install, migrate, load the programme, create demo accounts, serve on 127.0.0.1:8000
#               with the task queue's worker beside it
#   make test   install and run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run test install lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet .
	@touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet ".[test]"
	@touch $@ $(VENV)/.run-installed

install: $(VENV)/.run-installed

run: $(VENV)/.run-installed
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_work_programme
	DEBUG=1 $(BIN)/python manage.py seed_reporting_cycles
	DEBUG=1 $(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  The CAMI portal is at   http://$(HOST)/"
	@echo "  Log in at               http://$(HOST)/accounts/login/"
	@echo "    admin / cami-demo-admin            administrator (also /admin/)"
	@echo "    reviewer / cami-demo-2026          Secretariat reviewer"
	@echo "    kaz-focal / cami-demo-2026         focal point, Kazakhstan (report in progress)"
	@echo "    kaz-contributor / cami-demo-2026   contributor, Kazakhstan (drafts, cannot submit)"
	@echo "    uzb-focal / cami-demo-2026         focal point, Uzbekistan (report accepted)"
	@echo ""
	@# The task queue's worker (e-mails...) runs beside the server and stops with it.
	DEBUG=1 $(BIN)/python manage.py run_worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  DEBUG=1 $(BIN)/python manage.py runserver $(HOST)

test: $(VENV)/.test-installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
