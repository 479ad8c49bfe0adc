# One task runner, the same verbs locally and in CI. Each target bootstraps .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
PORT ?= 8501

.PHONY: run test lint bench system-deps format golden docs deploy-local load messages translations

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

run: $(STAMP) translations
	$(BIN)/streamlit run app.py --server.port $(PORT)

# The message catalogues: the interface's (locales/<language>/LC_MESSAGES/messages.po, see
# babel.cfg) and the reports' (reports.po, see babel-reports.cfg: the PDF, the workbook, the blank
# checklist, the charts and the wording of targets). `make messages` extracts the wrapped strings
# and updates every language's catalogues; new and changed messages then wait for their
# translation (a test fails until each has one). The .mo files are compiled from the .po files
# here (the app also compiles a missing or stale one itself).
CATALOGUES := $(wildcard locales/*/LC_MESSAGES/messages.po locales/*/LC_MESSAGES/reports.po)

messages: $(STAMP)
	mkdir -p build
	$(BIN)/pybabel -q extract -F babel.cfg --no-location --sort-output --project=sensory-audit -o build/messages.pot .
	$(BIN)/pybabel -q update -i build/messages.pot -d locales --ignore-obsolete -w 120
	$(BIN)/pybabel -q extract -F babel-reports.cfg --no-location --sort-output --project=sensory-audit -o build/reports.pot .
	$(BIN)/pybabel -q update -i build/reports.pot -d locales -D reports --ignore-obsolete -w 120

translations: $(STAMP) $(CATALOGUES:.po=.mo)

locales/%/LC_MESSAGES/messages.mo: locales/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel -q compile -i $< -o $@

locales/%/LC_MESSAGES/reports.mo: locales/%/LC_MESSAGES/reports.po $(STAMP)
	$(BIN)/pybabel -q compile -i $< -o $@

system-deps:
	bash scripts/system-deps

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The store, engine and report tests run on two workers; so do the browser tests, a test file at a
# time per worker, each worker with its own app server and browser.
test: $(STAMP) system-deps lint translations
	$(BIN)/pytest -n 2 -m "not e2e"
	$(BIN)/pytest -n 2 --dist loadfile -m e2e

bench: $(STAMP) system-deps
	$(BIN)/python -m bench

# The reference deployment on this machine: PostgreSQL, the schema migrated once, two app
# instances and nginx on 127.0.0.1 (see docs/deployment.md). Ctrl-C stops it.
deploy-local: $(STAMP) system-deps
	PYTHON=$(BIN)/python deploy/local

# A school's round under load through nginx on two instances (not part of make test):
# make load ARGS="--tablets 4 --minutes 1" for a quick try.
load: $(STAMP) system-deps
	$(BIN)/python -m bench.load $(ARGS)

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

golden: $(STAMP)
	$(BIN)/python -m tests.golden

# docs/criteria.md is written from the catalogue; a test fails when it is out of date.
docs: $(STAMP)
	$(BIN)/python -m checklists.document docs/criteria.md
