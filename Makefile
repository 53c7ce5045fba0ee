# Every target bootstraps .venv itself: a fresh machine needs only Python 3.11.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: generate test check lint typecheck bench clean

$(STAMP): pyproject.toml generated/pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	$(BIN)/python -m pip install -q -e ./generated
	@touch $(STAMP)

generate: $(STAMP)
	$(BIN)/opigen generate

test: $(STAMP)
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/opigen generate --check
	$(MAKE) --no-print-directory lint typecheck

lint: $(STAMP)
	$(BIN)/ruff check generator tests generated


typecheck: $(STAMP)
	$(BIN)/mypy --strict generator
	cd generated && ../$(BIN)/mypy --strict opi

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV)
