# Every target bootstraps .venv itself: a fresh machine needs only Python 3.11.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: generate test check lint typecheck bench clean docs docs-serve

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
	$(BIN)/ruff check generator tests bench generated


typecheck: $(STAMP)
	$(BIN)/mypy --strict generator bench
	cd generated && ../$(BIN)/mypy --strict opi

# bench creates bench/.venv (the pinned openapi-python-client) on first use; BENCH_ARGS=--quick for a smoke run.
bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV)

# The docs site (docs-site/) renders generated/docs with Docusaurus; npm ci reinstalls the locked packages
# only when the lockfile changes.
DOCS_SITE := docs-site
DOCS_STAMP := $(DOCS_SITE)/node_modules/.installed

$(DOCS_STAMP): $(DOCS_SITE)/package.json $(DOCS_SITE)/package-lock.json
	cd $(DOCS_SITE) && npm ci --no-audit --no-fund --loglevel=error
	@touch $(DOCS_STAMP)

docs: $(DOCS_STAMP)
	cd $(DOCS_SITE) && node_modules/.bin/docusaurus build

docs-serve: docs
	cd $(DOCS_SITE) && node_modules/.bin/docusaurus serve --host 127.0.0.1 --port 3000 --no-open
