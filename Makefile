# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers: most of the suite waits on servers, sockets and databases, so more
# workers than cores pay; each worker has its own databases and ports (tests/ports.py).
TEST_WORKERS ?= 4

.PHONY: install run test lint format schema graphiql-assets bench clean

$(BIN)/omniorder: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(BIN)/omniorder

## Migrate, load demo data into an empty database, print an admin token, serve.
run: install
	$(BIN)/omniorder migrate
	$(BIN)/omniorder seed-demo --if-empty
	@echo "Admin token (send as 'Authorization: Bearer <token>'):"
	@$(BIN)/omniorder token --role ADMIN --subject admin
	@echo "GraphiQL, with an ADMIN token in its Authorization header:"
	@$(BIN)/omniorder token --role ADMIN --subject admin --graphiql-link http://$(HOST):$(PORT)/graphql
	OMNIORDER_TEST_PAYMENTS_SECRET=$${OMNIORDER_TEST_PAYMENTS_SECRET:-make-run-demo-only} \
	OMNIORDER_TEST_PAYMENTS_CALLBACK_URL=http://$(HOST):$(PORT)/webhooks/payments/test \
	$(BIN)/omniorder serve --host $(HOST) --port $(PORT)

## Lint, check the layer rules and the types, run every test (SQLite, and PostgreSQL when
## reachable), then the API tests again with query plans off (graphql-core alone).
test: install
	@if command -v npm >/dev/null; then npm ci --silent --no-audit --no-fund --prefix tests/clients; \
	else echo "npm not found: the tests that drive real npm clients will be skipped"; fi
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadscope
	OMNIORDER_QUERY_PLANS=off $(BIN)/pytest -n $(TEST_WORKERS) --dist loadscope tests/api

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Rewrite schema.graphql from the code.
schema: install
	$(BIN)/omniorder export-schema

## Re-vendor GraphiQL's assets from npm at the versions pinned in the script (needs npm).
graphiql-assets:
	bash api/graphiql/refresh_assets.sh

## Benchmarks (never part of the tests): catalog page, placeOrder; see bench/README.md.
bench: install
	$(BIN)/python -m bench.catalog_and_orders --backend sqlite
	$(BIN)/python -m bench.catalog_and_orders --backend postgresql

clean:
	rm -rf tests/clients/node_modules
	rm -rf $(VENV) omniorder.db omniorder.db-wal omniorder.db-shm media .pytest_cache .ruff_cache .mypy_cache
