# One command each: `make build` (materialise every asset on data/raw → data/processed) and `make test`.
# Both create .venv from uv.lock first (scripts/bootstrap.sh; needs python3 >= 3.11 and PyPI).
.PHONY: build test lint dev validate clean

build:
	./scripts/bootstrap.sh
	.venv/bin/python -m pipeline build --raw-dir data/raw --out-dir data/processed

test:
	./scripts/bootstrap.sh
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/python -m pytest -q

lint:
	./scripts/bootstrap.sh
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

DAGSTER_HOME ?= $(CURDIR)/.dagster_home

dev:
	./scripts/bootstrap.sh
	mkdir -p $(DAGSTER_HOME) && [ -f $(DAGSTER_HOME)/dagster.yaml ] || cp deploy/dagster.yaml $(DAGSTER_HOME)/dagster.yaml
	DAGSTER_HOME=$(DAGSTER_HOME) .venv/bin/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

validate:
	./scripts/bootstrap.sh
	.venv/bin/dagster definitions validate -w workspace.yaml

clean:
	rm -rf data/processed/* .dagster_home
