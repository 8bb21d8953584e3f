# Fieldwatch: the one entry point for people and CI. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml setup.py constraints.txt services/classifier/_native.c
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

.PHONY: install
install: $(STAMP) ## Create the virtualenv and install Fieldwatch with its dev tools

.PHONY: sysdeps
sysdeps: ## Install the system tools the tests use (prometheus, promtool, kubectl, kcat)
	@bash scripts/sysdeps.sh

.PHONY: run
run: install ## Start a local broker, the three services, a demo feed and an alert sink
	$(BIN)/fieldwatch run --demo

.PHONY: test
test: install sysdeps ## Run the whole suite: unit, integration (local broker), e2e, conformance
	$(BIN)/pytest $(PYTEST_ARGS)

.PHONY: test-unit
test-unit: install sysdeps ## Run the unit tests only (the ops ones use kubectl and promtool)
	$(BIN)/pytest -m unit $(PYTEST_ARGS)

.PHONY: lint
lint: install ## ruff (lint and format check) and mypy --strict
	$(BIN)/ruff check services tests bench
	$(BIN)/ruff format --check services tests bench
	$(BIN)/mypy

.PHONY: fmt
fmt: install ## Format the code
	$(BIN)/ruff format services tests bench
	$(BIN)/ruff check --fix services tests bench

.PHONY: bench
bench: install ## Run the benchmarks; each prints a JSON report
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

.PHONY: check-config
check-config: install ## Validate the example config files
	$(BIN)/fieldwatch check examples/*.yaml

.PHONY: clean
clean: ## Remove the virtualenv and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
