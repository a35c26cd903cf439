# `make run` and `make test` work on a fresh machine: they create .venv and install first.
# The first interpreter that runs and is >= 3.11 (pyenv shims may exist for versions not installed).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run migrate test lint format typecheck pytest migrations clean setup-run setup-test \
	cluster

# System packages pip cannot install (see .ci/setup): checked every time, installed when missing.
setup-run:
	@.ci/setup run

setup-test:
	@.ci/setup test

$(STAMP): pyproject.toml | setup-run
	@test -n "$(PYTHON)" || { echo "ftpgram needs Python >= 3.11 (python3.11 or newer on PATH)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/ftpgram migrate
	$(BIN)/ftpgram run

migrate: install
	$(BIN)/ftpgram migrate

test: lint typecheck pytest

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy

pytest: setup-test install
	$(BIN)/pytest

# Cluster mode on this machine: 3 processes, PostgreSQL, Redis, HAProxy and a fake Telegram,
# until Ctrl-C (tests/cluster.py; N processes: make cluster N=5).
cluster: setup-test install
	$(BIN)/python -m tests.cluster $(N)

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Generate the migrations for model changes, for SQLite and PostgreSQL: make migrations NAME=add_x
migrations: install
	$(BIN)/python -m tests.tools.make_migrations $(NAME)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
