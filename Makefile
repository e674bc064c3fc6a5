# Two commands for a fresh machine: `make run` and `make test`. See README.md.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
# The PostgreSQL the suite runs on a second time, when it answers.
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/postgres

.PHONY: run test lint format demo migrate install messages browser fonts clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP) fonts

# The monthly report's PDF embeds a Chinese TrueType font: Debian's WenQuanYi Micro Hei.
fonts:
	@test -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc \
		|| (apt-get update -qq && apt-get install -y -qq fonts-wqy-microhei) \
		|| echo "== fonts-wqy-microhei could not be installed: the monthly report has no PDF"

# The case documents' seal: a self-signed demo certificate under var/ (kept once made).
migrate: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py make_seal_certificate

demo: migrate
	$(PY) manage.py load_demo

run: demo
	$(VENV)/bin/daphne -b $(HOST) -p $(PORT) config.asgi:application

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The browser tests drive Debian's Chromium; nothing is downloaded from elsewhere.
browser:
	@command -v chromium > /dev/null || (apt-get update -qq && apt-get install -y -qq chromium) \
		|| echo "== Chromium could not be installed: the browser tests will be skipped"

# Everything CI runs: lint (ruff, and lint-imports for the apps' import order), migrations in
# sync, the suite on SQLite, then again on PostgreSQL
# (and Redis) when they answer on this machine.
test: lint browser
	$(PY) manage.py makemigrations --check --dry-run > /dev/null
	$(PY) -m pytest
	@if $(PY) -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2)" 2>/dev/null; then \
		echo "== PostgreSQL at 127.0.0.1:5432: running the suite again on it"; \
		redis=""; \
		if $(PY) -c "import socket; socket.create_connection(('127.0.0.1', 6379), 2)" 2>/dev/null; then \
			redis="redis://127.0.0.1:6379/0"; echo "== with Redis at 127.0.0.1:6379"; \
		fi; \
		DATABASE_URL=$(PG_TEST_URL) REDIS_URL=$$redis $(PY) -m pytest; \
	else \
		echo "== PostgreSQL not answering at 127.0.0.1:5432: SQLite run only"; \
	fi

# After changing user-visible strings: update the zh-hans catalog, translate, then compile.
messages: install
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=staticfiles \
		--ignore=bench --ignore=tests
	$(PY) manage.py compilemessages -l zh_Hans --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles
