# Two commands on a fresh machine: `make run` and `make test`. Everything else is optional.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed

# Dagster keeps runs, events and schedules in a local SQLite instance here (git-ignored).
export DAGSTER_HOME := $(CURDIR)/.dagster

.PHONY: run test ui lint bench lock clean install bytecode

run: $(STAMP) $(DAGSTER_HOME)/dagster.yaml bytecode
	$(PY) -m pipeline run

test: $(STAMP) $(DAGSTER_HOME)/dagster.yaml
	$(PY) -m pytest $(PYTEST_ARGS)

ui: $(STAMP) $(DAGSTER_HOME)/dagster.yaml bytecode
	$(VENV)/bin/dagster dev --host 127.0.0.1 --port $${PORT:-3000}

lint: $(STAMP)
	$(VENV)/bin/ruff check pipeline tests bench
	$(VENV)/bin/ruff format --check pipeline tests bench

# all benchmarks, or some: make bench BENCH='parse nlp'
bench: $(STAMP)
	$(PY) -m bench $(BENCH)

install: $(STAMP) bytecode

# The project's own modules compiled once (only changed files are compiled again): where
# PYTHONDONTWRITEBYTECODE is set, every run would otherwise compile them again (about 0.2 s).
bytecode: $(STAMP)
	@$(PY) -m compileall -q pipeline > /dev/null

# uv installs ~7x faster than pip here; it is bootstrapped into the venv so nothing global is needed.
# PYTHONDONTWRITEBYTECODE may be set on the machine, hence --compile-bytecode.
$(STAMP): pyproject.toml requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@test -x $(UV) || $(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(UV) pip install --python $(PY) --compile-bytecode --quiet -r requirements.lock
	$(UV) pip install --python $(PY) --compile-bytecode --quiet --no-deps -e .
	@touch $@

$(DAGSTER_HOME)/dagster.yaml: dagster.yaml
	@mkdir -p $(DAGSTER_HOME)
	cp dagster.yaml $@

# Regenerate the full pinned tree after changing pyproject.toml.
lock: $(STAMP)
	$(UV) pip compile pyproject.toml --extra dev --extra bench --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) $(DAGSTER_HOME) .pytest_cache .ruff_cache
