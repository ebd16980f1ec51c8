# iomsite: `make run` serves the site as production does; `make test` runs the suite.
.PHONY: help run dev test test-fast test-browser lint format check bench clean install messages demo browser-deps map-data screenshots lighthouse

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
WORKERS ?= 2
DEMO_ENV := IOMSITE_DEMO=1
PROD_ENV = DJANGO_DEBUG=0 DJANGO_SECRET_KEY="$$(cat var/secret_key)"

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed ## Create .venv and install the pinned requirements

# axe-core for the browser tests' accessibility checks, from tests/browser/package-lock.json;
# re-run only when the lock file changes. The browser itself is Debian's /usr/bin/chromium.
BROWSER_DEPS := tests/browser/node_modules/.installed
$(BROWSER_DEPS): tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
	@touch $@

browser-deps: $(BROWSER_DEPS) ## Install axe-core (npm) for the browser tests

# Country boundaries for the maps (docs/decisions/015-maps.md): Natural Earth from the npm
# package world-atlas, simplified into regions/mapdata/countries.json, which is committed.
map-data: install ## Rebuild regions/mapdata/countries.json from Natural Earth (npm: world-atlas)
	npm ci --prefix regions/mapdata --no-audit --no-fund --loglevel=error
	$(PY) manage.py build_map_data

var/secret_key:
	@mkdir -p var
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	@chmod 600 $@

messages: install ## Compile the translation catalogues (.po -> .mo)
	@if find . -name '*.po' -not -path './.venv/*' -not -path './node_modules/*' | grep -q .; then \
		$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0; fi

demo: install var/secret_key messages ## Migrate the SQLite database and load the demo content
	$(DEMO_ENV) $(PY) manage.py migrate --noinput -v 0
	$(DEMO_ENV) $(PY) manage.py load_demo_content

run: demo ## Serve on 127.0.0.1:$(PORT) as production does (gunicorn and the task worker, DEBUG off)
	$(PROD_ENV) $(PY) manage.py collectstatic --noinput -v 0
	@echo ""
	@echo "  Site:  http://127.0.0.1:$(PORT)/"
	@echo "  Admin: http://127.0.0.1:$(PORT)/admin/  (demo logins: editor, demo-editor, demo-publisher; password iomsite-demo)"
	@echo "  Task worker: manage.py db_worker (site e-mail and other background work), stopped with the server"
	@echo ""
	@$(PROD_ENV) $(PY) manage.py db_worker --queue-name '*' --no-reload --worker-id "$$(hostname)-make-run" & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PROD_ENV) $(VENV)/bin/gunicorn iomsite.wsgi --bind 127.0.0.1:$(PORT) --workers $(WORKERS) \
		--access-logfile - --timeout 30 --graceful-timeout 10

dev: demo ## Serve with Django's development server and the task worker, DEBUG on
	@echo "  Site: http://127.0.0.1:$(PORT)/  Admin: http://127.0.0.1:$(PORT)/admin/ (editor / iomsite-demo)"
	@DJANGO_DEBUG=1 $(PY) manage.py db_worker --queue-name '*' & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install ## Ruff: lint and format check
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install ## Ruff: fix and format
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

check: install ## System check and missing migrations
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

test: install browser-deps messages lint ## The whole suite: ruff, then pytest (browser tests included)
	@$(PY) -m pytest; rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest: no tests collected"; exit 0; fi; exit $$rc

test-fast: install messages ## pytest without the browser tests (translations compiled first)
	$(PY) -m pytest -m "not browser"

test-browser: install browser-deps messages ## Only the browser tests
	$(PY) -m pytest -m browser

screenshots: install browser-deps ## Screenshots of every key page at 375 and 1280 px into docs/screenshots/
	IOMSITE_SCREENSHOTS=docs/screenshots $(PY) -m pytest -q tests/browser/test_layout.py

lighthouse: demo browser-deps ## Lighthouse mobile on home, theme, publication, series and region pages (all 100)
	$(DEMO_ENV) $(PY) tests/browser/lighthouse.py

bench: install ## Benchmarks on PostgreSQL (see bench/README.md)
	bench/run

clean: ## Remove the virtualenv, the database, media, caches
	rm -rf $(VENV) var .pytest_cache .ruff_cache tests/browser/node_modules
