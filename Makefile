# tourdesk — two commands matter: `make demo` and `make test` (see README).
# The first interpreter that really runs and is 3.11+ (pyenv shims may exist for versions that
# are not selected, so each candidate is executed, not just looked up).
ifndef PYTHON
PYTHON := $(shell for p in python3 python3.13 python3.12 python3.11; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && { command -v $$p; break; }; \
	done)
endif
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test test-sqlite test-postgres lint services run migrate clean bench

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "tourdesk needs Python 3.11 or newer: none found on PATH"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

## The offline demo: SQLite under ./data, sandbox payments, a console chat (stdin may be a script).
## `make demo ARGS=--fresh` starts from an empty demo database.
demo: $(STAMP)
	@$(BIN)/tourdesk demo $(ARGS)

## The whole suite: SQLite, then PostgreSQL + Redis (started or installed if absent), then lint.
test: $(STAMP) services
	$(MAKE) --no-print-directory test-sqlite test-postgres lint

## Tests run in parallel worker processes (pytest-xdist), one per core up to four; each worker
## has its own databases and Redis prefix. `make test-sqlite PYTEST_ARGS=-n0` runs them serially.
PYTEST_ARGS ?= -n auto --maxprocesses 4

test-sqlite: $(STAMP)
	TOURDESK_TEST_BACKEND=sqlite $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: $(STAMP)
	TOURDESK_TEST_BACKEND=postgres $(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

services:
	@bash .ci/services.sh

## Every bench in bench/ with small defaults: one table with a same-run baseline per figure.
bench: $(STAMP)
	$(BIN)/python bench/run_all.py

run: $(STAMP)
	$(BIN)/tourdesk run

migrate: $(STAMP)
	$(BIN)/tourdesk migrate

clean:
	rm -rf $(VENV) data .mypy_cache .ruff_cache
