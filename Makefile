# sti-warehouse: `make run`, `make test`, `make dev`, `make dashboard` (see README.md).
# Only python3 is needed: the first target creates .venv and installs the project into it.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export STI_RAW_DIR ?= data/raw
export STI_WAREHOUSE ?= data/warehouse/warehouse.duckdb
# Run history and the concurrency pool limits live in the project (dagster_home/dagster.yaml).
export DAGSTER_HOME := $(CURDIR)/dagster_home
export DBT_PROFILES_DIR := $(CURDIR)/sql
# dagster-dbt looks for `dbt` on PATH when it prepares the project under `dagster dev`.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: run test dev dashboard lint install manifest benchmark clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# dbt's manifest is what Dagster reads to know the models; parsing needs no database. The profile names
# the run's build file (sql/profiles.yml): parsing with the same absolute STI_WAREHOUSE as the run lets
# the run's `dbt build` reuse this parse instead of starting over ("profile has changed").
manifest: $(STAMP)
	W=$$($(BIN)/python -c 'import pathlib, sys; print(pathlib.Path(sys.argv[1]).expanduser().resolve())' '$(STI_WAREHOUSE)') \
		&& cd sql && STI_WAREHOUSE="$$W" ../$(BIN)/dbt parse --quiet --profiles-dir .

# pipeline/run.py: returns at once when nothing changed; parses dbt's project only when sql/ changed;
# progress bars and a summary on the console, Dagster's events in a log file whose path it prints.
run: $(STAMP)
	$(BIN)/python -m pipeline.run

lint: $(STAMP)
	$(BIN)/ruff check pipeline dashboard tests benchmarks
	$(BIN)/ruff format --check pipeline dashboard tests benchmarks

test: manifest lint
	$(BIN)/python -m pytest -q

# `dagster dev`, not `dg dev`: dg dev (dagster-dg-cli 1.13) has no option to serve a workspace file; it writes
# its own from a dg project's [tool.dg] settings. dagster dev's notice that dg dev supersedes it is silenced.
dev: manifest
	PYTHONWARNINGS='ignore:Function `dev_command` is superseded:FutureWarning' $(BIN)/dagster dev -w workspace.yaml

# The regional comparison dashboard on http://127.0.0.1:8501, reading STI_WAREHOUSE read-only.
DASHBOARD_PORT ?= 8501
dashboard: $(STAMP)
	$(BIN)/streamlit run dashboard/app.py --server.address 127.0.0.1 --server.port $(DASHBOARD_PORT) \
		--server.headless true --browser.gatherUsageStats false

# Sizes 1,000 to 100,000 reports on the simplified corpus and 20,000 on the raw one: about 30 to 40 minutes on two
# cores, the 100,000-report run most of it. One small size: $(BIN)/python -m benchmarks.throughput --reports 1000
benchmark: manifest
	$(BIN)/python -m benchmarks.throughput --corpus simplified --reports 1000,20000,100000,raw:20000

clean:
	rm -rf $(VENV) sql/target sql/logs
