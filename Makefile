# Everyday actions. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.DEFAULT_GOAL := help
.PHONY: help setup dev test lint typecheck unit integration infra bench synth clean widget

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-media.txt requirements-dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	# npm ci: exactly the lock (it records every platform's optional rollup package).
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

widget/dist/atelier-widget.js: node_modules/.installed widget/vite.config.mjs $(wildcard widget/src/*) $(wildcard widget/public/*)
	npx vite build --config widget/vite.config.mjs --logLevel warn

widget: widget/dist/atelier-widget.js ## build the embeddable widget and the demo storefront

setup: $(VENV)/.installed node_modules/.installed widget/dist/atelier-widget.js ## create .venv, node_modules, the widget
	bash scripts/system-deps.sh

dev: $(VENV)/.installed widget/dist/atelier-widget.js ## run the whole thing locally (PostgreSQL, API gateway, docs, storefront)
	$(BIN)/atelier serve

lint: $(VENV)/.installed ## ruff lint + format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed ## mypy
	$(BIN)/mypy layers/atelier functions infra app.py bench

test: setup lint typecheck ## the full suite: lint, types, unit, integration, infra, e2e
	$(BIN)/pytest -n 2 --dist loadfile

unit: $(VENV)/.installed ## unit tests only
	$(BIN)/pytest tests/unit

integration: $(VENV)/.installed ## tests against the embedded PostgreSQL
	$(BIN)/pytest tests/integration

infra: setup ## CDK assertions, cdk-nag and cfn-lint
	$(BIN)/pytest tests/infra

bench: $(VENV)/.installed ## benchmarks: figures and ratios
	bash scripts/bench-deps.sh
	$(BIN)/python -m bench

synth: setup ## synthesize cdk.out offline
	npx cdk synth -q

clean: ## remove build outputs (keeps var/, the local data)
	rm -rf cdk.out build .pytest_cache .mypy_cache .ruff_cache test-artifacts
