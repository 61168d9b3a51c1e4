# The two commands of the README, `make run` and `make test`, and `make lock` for maintainers.
#
# requirements.lock      the runtime lock (servers, `make run`): every package pinned, with hashes.
# requirements-dev.lock  the runtime lock plus the test and tool packages (`make test`), with hashes.
# Both are generated from pyproject.toml by `make lock`; never edit them by hand.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUNTIME_STAMP := $(VENV)/.runtime-$(shell cksum requirements.lock | cut -d' ' -f1)
DEV_STAMP := $(VENV)/.dev-$(shell cksum requirements-dev.lock | cut -d' ' -f1)

# How the locks are installed, and why not with the venv's own pip.
# The pip that `python3 -m venv` bundles differs from one Python build to the next (23.0 on Debian 12,
# 23.2 on CPython 3.11.7), and some of them resolve a locked package's extra (weasyprint's
# `fonttools[woff]>=4.59.2`) as a separate, unpinned requirement: on the day the index gained a newer
# fonttools, `--require-hashes` refused the whole lock although nothing here had changed.
# So installs go through the same pinned uv that writes the locks: `uv pip install --no-deps
# --require-hashes --only-binary :all:` installs exactly the pinned files, resolves nothing, builds
# nothing (no build environment that would take whatever setuptools is newest) and asks the index
# only for the pinned files. uv itself comes from requirements-tools.lock, a hashed lock of one
# wheel with no dependencies and no extras, which every pip installs the same way.
# tests/test_install.py offers a newer release of a locked package with extras and checks that the
# pinned one is installed all the same.
UV_VERSION := 0.13.9
TOOLS := .venv-tools
UV := $(TOOLS)/bin/uv
UV_INSTALL := $(UV) pip install --quiet --python $(PY) --no-deps --require-hashes --only-binary :all:
# Python 3.11.0 as the floor: the lock installs on any 3.11 (Debian 12 ships 3.11.2).
UV_COMPILE := $(UV) pip compile --quiet --generate-hashes --python-version 3.11 \
	--python-platform x86_64-manylinux_2_28 --custom-compile-command "make lock"

.PHONY: run test test-fast setup setup-dev lock bench bench-proofreading bench-editor clean

$(PY):
	$(PYTHON) -m venv --without-pip $(VENV)

$(UV): requirements-tools.lock
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes \
		-r requirements-tools.lock
	touch $@

$(RUNTIME_STAMP): requirements.lock | $(PY) $(UV)
	$(UV_INSTALL) -r requirements.lock
	rm -f $(VENV)/.runtime-*
	touch $@

$(DEV_STAMP): requirements-dev.lock | $(PY) $(UV)
	$(UV_INSTALL) -r requirements-dev.lock
	rm -f $(VENV)/.dev-*
	touch $@

setup: $(RUNTIME_STAMP)

setup-dev: $(DEV_STAMP)

# The embedded SQLite database is migrated and loaded when it is missing or older than a migration,
# so a second `make run` starts the server at once; with DATABASE_URL set it is done every time.
MIGRATIONS := $(wildcard */migrations/0*.py)
ifdef DATABASE_URL
DATABASE := database-from-url
.PHONY: $(DATABASE)
else
DATABASE := db.sqlite3
endif

$(DATABASE): $(MIGRATIONS) | $(RUNTIME_STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_initial_data
	$(if $(DATABASE_URL),,touch $@)

run: setup $(DATABASE)
	@echo "公开网站 http://127.0.0.1:8000/　管理后台 http://127.0.0.1:8000/admin/　报送平台 http://127.0.0.1:8000/portal/"
	@echo "演示账号（密码均为 Wenming-Demo-2026）：editor 编辑　reviewer 审核　signer 签发　sysadmin 系统管理员　auditor 审计员　correspondent 通讯员"
	# The task worker (mail) runs beside the server, at a lower priority so that it does not slow the
	# server's start, and stops with it (Ctrl+C or any exit).
	nice -n 10 $(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

test: setup-dev
	$(PY) -m pytest

# The edit loop: no browser, no subprocess, no server of its own (markers in pyproject.toml).
test-fast: setup-dev
	$(PY) -m pytest -m "not browser and not system"

# Regenerate both locks from pyproject.toml (after adding or changing a dependency there, or after a
# merge that touched either lock). Pins already in the locks are kept; `make lock UPGRADE=1` upgrades.
lock: $(UV)
	echo "uv==$(UV_VERSION)" | $(UV) pip compile - --quiet --generate-hashes --no-header -o requirements-tools.lock
	$(UV_COMPILE) pyproject.toml $(if $(UPGRADE),--upgrade) -o requirements.lock
	$(UV_COMPILE) pyproject.toml $(if $(UPGRADE),--upgrade) --extra test --constraint requirements.lock \
		-o requirements-dev.lock

# Load test on PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/wenming_bench);
# generates 100 000 entries the first time, writes docs/benchmarks.md.
bench: setup-dev
	$(PY) bench/run.py

# Proofreading recall, precision and time on a generated corpus (bench/proofreading_corpus.py),
# on a fresh PostgreSQL database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/wenming_bench_proofreading,
# dropped and recreated); writes docs/benchmarks-proofreading.md.
bench-proofreading: setup-dev
	$(PY) bench/proofreading.py

# The issue change page with 13 entries in Chromium (time to interactive, lazy editors against all
# editors started on load) and the server time of save and publish; SQLite in a temporary directory,
# or the PostgreSQL DATABASE_URL (dropped and recreated); writes docs/benchmarks-editor.md.
bench-editor: setup-dev
	$(PY) bench/editor.py

clean:
	rm -rf $(VENV) $(TOOLS) db.sqlite3 staticfiles
