# Two commands for a fresh Debian machine with python3, python3-venv and make:
#   make run    install, migrate, load the programme, create demo accounts, serve on 127.0.0.1:8000
#               with the task queue's worker beside it
#   make test   install and run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# `make run` writes the e-mails the portal sends as files in MAIL_DIR (one per message) instead
# of printing them in the terminal; the links in them point at the address served.
MAIL_DIR ?= mail
PORTAL_URL ?= http://$(HOST)
RUN_ENV = DEBUG=1 PORTAL_URL=$(PORTAL_URL) \
  EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend EMAIL_FILE_PATH=$(abspath $(MAIL_DIR))

.PHONY: run reset test install lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet .
	@touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet ".[test]"
	@touch $@ $(VENV)/.run-installed

# The maps' boundaries, built from Natural Earth (the npm package world-atlas, see README.md);
# the package is kept in the same folder, so a rebuild needs no network.
MAP := conservation_units/map/shapes.json
$(MAP): conservation_units/geometry.py conservation_units/management/commands/build_map.py \
    | $(VENV)/.run-installed
	$(BIN)/python manage.py build_map

install: $(VENV)/.run-installed $(MAP)

run: $(VENV)/.run-installed $(MAP)
	@$(RUN_ENV) $(BIN)/python manage.py migrate --noinput -v 0
	@$(RUN_ENV) $(BIN)/python manage.py load_work_programme
	@$(RUN_ENV) $(BIN)/python manage.py seed_reporting_cycles
	@$(RUN_ENV) $(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  The CAMI portal is at   http://$(HOST)/"
	@echo "  Log in at               http://$(HOST)/accounts/login/"
	@echo "    admin / cami-demo-admin            administrator (also /admin/)"
	@echo "    reviewer / cami-demo-2026          Secretariat reviewer"
	@echo "    kaz-focal / cami-demo-2026         focal point, Kazakhstan (report in progress)"
	@echo "    kaz-contributor / cami-demo-2026   contributor, Kazakhstan (drafts, cannot submit)"
	@echo "    uzb-focal / cami-demo-2026         focal point, Uzbekistan (report accepted)"
	@echo "  E-mails the portal sends   $(MAIL_DIR)/ (one file each)"
	@echo "  Another address            make run HOST=127.0.0.1:8080"
	@echo "  Start again from scratch   make reset, then make run"
	@echo ""
	@# The task queue's worker (e-mails, documents...) runs beside the server and stops with it;
	@# it says only what goes wrong.
	@$(RUN_ENV) LOG_LEVEL=WARNING $(BIN)/python manage.py run_worker -v 0 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(RUN_ENV) $(BIN)/python manage.py runserver $(HOST)

reset:  ## the demo database, uploaded files and e-mails go; the next `make run` starts afresh
	rm -rf db.sqlite3 media $(MAIL_DIR)

test: $(VENV)/.test-installed $(MAP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache $(MAP)
