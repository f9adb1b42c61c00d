# Family Voice. `make run` serves the app with demo data; `make test` runs lint and the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The port `make run` serves on: PORT=5050 make run
PORT ?= 5000
# Processes the suite runs in (pytest-xdist): one per core by default; TEST_WORKERS=0 runs it in this one.
TEST_WORKERS ?= auto
export FLASK_APP := webapp

.PHONY: run serve test lint install translations extract update-translations compile-translations bytecode browser-deps bench-deps bench bench-scripts clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

compile-translations: $(STAMP)
	$(BIN)/pybabel compile --statistics -d translations

# The app's modules compiled once (only those changed since): a server whose code folder it may not write to, or
# run with PYTHONDONTWRITEBYTECODE, would otherwise compile every module from source in every worker it starts.
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q webapp

# Re-extract the strings and merge them into every catalogue (then translate what is new).
update-translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_ngettext:1,2 -c "Translators:" --no-location --sort-output \
	  --project "Family Voice" --copyright-holder "Family Voice contributors" -o translations/messages.pot .
	$(BIN)/pybabel update -N --no-fuzzy-matching -i translations/messages.pot -d translations

run: install compile-translations
	mkdir -p instance
	$(BIN)/flask db upgrade
	$(BIN)/flask demo-data
	@echo ""
	@echo "Family Voice is at http://127.0.0.1:$(PORT)  (Ctrl+C to stop)"
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# Debian's Chromium for the browser tests, installed when it is missing.
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi

# ruff and mypy, both set up in pyproject.toml.
lint: install
	@echo "== ruff"
	$(BIN)/ruff check .
	@echo "== mypy"
	$(BIN)/mypy

test: lint install compile-translations browser-deps
	@echo "== Test suite on SQLite"
	TEST_DATABASE_URL= $(BIN)/pytest -p no:cacheprovider -n $(TEST_WORKERS)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "== Test suite on $${TEST_DATABASE_URL%%:*}"; \
	  $(BIN)/pytest -p no:cacheprovider -n $(TEST_WORKERS); \
	fi

# wrk, the load generator of `make bench`, installed when it is missing.
bench-deps:
	@if ! command -v wrk >/dev/null; then \
	  echo "Installing wrk for the bench"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; \
	fi

# The table of the performance goals on PostgreSQL (bench/table.py; seeds its databases on the first run).
bench: install compile-translations bytecode bench-deps
	$(BIN)/python bench/table.py

# The older single-purpose benches, each printing its own figures.
bench-scripts: install compile-translations bytecode
	@for script in photo_pipeline review_build review_export team_view picture_home_weight cold_start; do \
	  echo "== bench/$$script.py"; $(BIN)/python bench/$$script.py || exit 1; done

# The app under gunicorn (deploy/gunicorn.conf.py) with the settings of the environment: DATABASE_URL,
# RATELIMIT_STORAGE_URI, SECRET_KEY, ... (README: "Running it for a council").
serve: install compile-translations bytecode
	$(BIN)/flask db upgrade
	$(BIN)/gunicorn -c deploy/gunicorn.conf.py 'webapp:create_app()'

clean:
	rm -rf $(VENV) instance/*.sqlite3* .pytest_cache
