# Quick start: `make run` starts the whole system locally, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run demo test unit lint lock clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# The virtual environment with every pinned dependency and the `hami` tool (.venv/bin/hami).
install: $(STAMP)

# AsyncAPI's own parser (npm, pinned in its package-lock.json): the tests check docs/asyncapi.json with it.
ASYNCAPI_PARSER := tests/support/asyncapi/node_modules/.package-lock.json
$(ASYNCAPI_PARSER): tests/support/asyncapi/package-lock.json
	npm ci --prefix tests/support/asyncapi --no-audit --no-fund --silent

run: $(STAMP)
	$(BIN)/hami run

# Fill the system `make run` started with a whole demo festival (see README "A living demo").
demo: $(STAMP)
	$(BIN)/hami demo

# The test suite needs RabbitMQ and PostgreSQL: HAMI_TEST_AMQP_URL / HAMI_TEST_DATABASE_URL,
# defaulting to the local servers that `make run` uses.
test: $(STAMP) $(ASYNCAPI_PARSER)
	HAMI_TEST_AMQP_URL=$${HAMI_TEST_AMQP_URL-amqp://guest:guest@127.0.0.1:5672/} \
	HAMI_TEST_DATABASE_URL=$${HAMI_TEST_DATABASE_URL-postgresql://postgres@127.0.0.1:5432/postgres} \
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check shared services ops tests bench docs

unit: $(STAMP)
	$(BIN)/python -m pytest -m "not integration" $(PYTEST_ARGS)

# Re-pin every dependency after editing pyproject.toml.
lock:
	$(BIN)/python -m pip freeze --exclude-editable > requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache
