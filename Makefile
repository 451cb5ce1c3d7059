# Protocol Desk — `make run` opens the app on a demo database, `make test` checks everything.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO   := $(CURDIR)/.demo

.PHONY: run test lint install bench package screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test,package]"
	touch $(STAMP)

install: $(STAMP)

run: install
	PROTOCOL_APP_HOME=$(DEMO) $(BIN)/protocol-app demo --if-empty
	PROTOCOL_APP_HOME=$(DEMO) $(BIN)/protocol-app

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

bench: install
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks

screenshots: install
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m ui.screenshots screenshots

package: install
	$(BIN)/python -m pip install --quiet -e ".[package]"
	$(BIN)/pyinstaller --noconfirm --clean build.spec

clean:
	rm -rf build dist .pytest_cache
