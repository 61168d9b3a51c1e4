# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum requirements.lock | cut -d' ' -f1)

.PHONY: run test setup bench clean

$(STAMP): requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $@

setup: $(STAMP)

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_initial_data
	# The task worker (mail) runs beside the server and stops with it (Ctrl+C or any exit).
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

test: setup
	$(PY) -m pytest

# Load test on PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/wenming_bench);
# generates 100 000 entries the first time, writes docs/benchmarks.md.
bench: setup
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
