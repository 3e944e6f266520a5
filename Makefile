# elearn — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test test-sqlite test-postgres lint install translations extract-messages clean bench bench-quiz

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed translations

## Compile the committed message catalogs (.po -> .mo).
translations: $(VENV)/.installed
	$(VENV)/bin/pybabel -q compile -d elearn/translations

## Re-extract every user-facing string and merge it into the catalogs.
extract-messages: $(VENV)/.installed
	$(VENV)/bin/pybabel -q extract -F babel.cfg -k _l -k N_ -k lazy_gettext --no-location --sort-output \
		-o elearn/translations/messages.pot .
	$(VENV)/bin/pybabel -q update -N -i elearn/translations/messages.pot -d elearn/translations

## Set up, build the database, seed the demo when empty, serve HTTP and Socket.IO.
run: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl+C to stop)"
	HOST=$(HOST) PORT=$(PORT) $(PY) wsgi.py

## All tests on SQLite; again on PostgreSQL and Redis when TEST_DATABASE_URL / TEST_REDIS_URL are set.
## The two passes share nothing (own databases, own Socket.IO channels), so they run side by side; each
## pass's output is printed when it ends.
test: install
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	   $(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres; \
	 else $(MAKE) --no-print-directory test-sqlite; \
	   echo "TEST_DATABASE_URL not set: PostgreSQL/Redis run skipped"; fi

test-sqlite:
	ELEARN_TEST_BACKEND=sqlite $(PY) -m pytest -q -p no:cacheprovider tests

test-postgres:
	ELEARN_TEST_BACKEND=postgres $(PY) -m pytest -q -p no:cacheprovider -m "not browser" tests

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check elearn tests config.py wsgi.py migrations bench

bench: install
	$(PY) -m bench.import_people

# The exam load test (gunicorn + PostgreSQL + Redis); LEARNERS=200 HOLD=30 for a short smoke run.
bench-quiz: install
	$(PY) -m bench.quiz_load --learners $(or $(LEARNERS),5000) --hold $(or $(HOLD),120)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
