# tourdesk — two commands matter: `make demo` and `make test` (see README).
PYTHON ?= $(shell command -v python3.13 || command -v python3.12 || command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test test-sqlite test-postgres lint services run migrate clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
		|| { echo "tourdesk needs Python 3.11 or newer (found: $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

## The offline demo: SQLite under ./data, sandbox payments, a console chat (stdin may be a script).
demo: $(STAMP)
	@$(BIN)/tourdesk demo

## The whole suite: SQLite, then PostgreSQL + Redis (started or installed if absent), then lint.
test: $(STAMP) services
	$(MAKE) --no-print-directory test-sqlite test-postgres lint

test-sqlite: $(STAMP)
	TOURDESK_TEST_BACKEND=sqlite $(BIN)/pytest

test-postgres: $(STAMP)
	TOURDESK_TEST_BACKEND=postgres $(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

services:
	@bash .ci/services.sh

run: $(STAMP)
	$(BIN)/tourdesk run

migrate: $(STAMP)
	$(BIN)/tourdesk migrate

clean:
	rm -rf $(VENV) data .mypy_cache .ruff_cache
