# mim-suite: `make demo` and `make test` each work from a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
DEMO_PORT ?= 1026
DEMO_DIR ?= data/demo

.PHONY: venv test lint typecheck unit demo serve bench clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: venv
	$(VENV)/bin/mypy

unit: venv
	$(VENV)/bin/pytest -q

test: lint typecheck unit

demo: venv
	$(PY) -m benchmarks.demo --port $(DEMO_PORT) --data-dir $(DEMO_DIR)

serve: venv
	$(VENV)/bin/mim serve --port $(DEMO_PORT) --data-dir $(DEMO_DIR)

bench: venv
	$(PY) -m benchmarks.server_throughput

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache data
