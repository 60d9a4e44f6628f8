# tuixuan — two commands: `make run` and `make test`. Everything else is what they call.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_VERSION := $(shell cat .python-version)
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: help run test test-sqlite test-postgres lint format env postgres browser bench-tools messages clean

help:
	@echo "make run   — 准备环境、迁移 SQLite 数据库、载入 gx-2024 活动与演示账号，并在 http://127.0.0.1:8000 启动"
	@echo "make test  — 准备环境，运行 ruff 和全部测试（先 SQLite，再 PostgreSQL）"

# The project's own copy of uv, installed from PyPI with whatever Python 3 the machine has.
$(UV):
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

# Python $(PYTHON_VERSION) from pyenv if present (these machines have it there), else from PATH.
$(VENV)/.synced: $(UV) pyproject.toml uv.lock .python-version
	@interp=$$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/$(PYTHON_VERSION)*/bin/python3 2>/dev/null | head -n1); \
	interp=$${interp:-python$(PYTHON_VERSION)}; \
	$(UV) sync --frozen --python "$$interp"
	@touch $@

env: $(VENV)/.synced

# `make run` re-does only what changed since it last ran, so a second start serves within seconds.
# Each step leaves a stamp in var/run/ named by a hash of what it depends on: a changed migration,
# campaign file, demo code or static file gives a new name, hence a missing stamp, hence the step
# runs again. A deleted database forgets its stamps. The demo's hash also names the ISO week, so
# the demo units' 30-day extension (README.md) is renewed at least weekly.
RUN_DB := var/tuixuan.sqlite3
STAMPS := var/run
digest = $(shell cat $(1) 2>/dev/null | sha256sum | cut -c1-16)
MIGRATIONS := $(sort $(wildcard src/tuixuan/*/migrations/*.py))
DEMO_SOURCES := campaigns/national-2024-example.toml campaigns/gx-2024.toml \
	src/tuixuan/campaigns/loader.py src/tuixuan/units/demo.py src/tuixuan/review/demo.py
STATIC_SOURCES := $(sort $(shell find src/tuixuan/static -type f 2>/dev/null)) uv.lock
MIGRATED := $(STAMPS)/migrated-$(call digest,$(MIGRATIONS))
DEMO := $(STAMPS)/demo-$(call digest,$(DEMO_SOURCES))-$(shell date +%G-%V)
STATIC := $(STAMPS)/static-$(call digest,$(STATIC_SOURCES))
ifeq ($(DATABASE_URL)$(wildcard $(RUN_DB)),)
$(shell rm -f $(STAMPS)/migrated-* $(STAMPS)/demo-*)
endif

$(MIGRATED): $(VENV)/.synced
	$(MANAGE) migrate --no-input
	@mkdir -p $(STAMPS) && rm -f $(STAMPS)/migrated-* && touch $@

$(DEMO): $(MIGRATED)
	$(MANAGE) load_campaign campaigns/national-2024-example.toml
	$(MANAGE) load_campaign campaigns/gx-2024.toml
	$(MANAGE) seed_demo --campaign gx-2024 --chain
	@rm -f $(STAMPS)/demo-* && touch $@

$(STATIC): $(VENV)/.synced
	$(MANAGE) collectstatic --no-input -v0
	@mkdir -p $(STAMPS) && rm -f $(STAMPS)/static-* && touch $@

# DEBUG off, as deployed: the Chinese 404/403/500 pages, never Django's debug page; whitenoise
# serves the static files; plain HTTP on 127.0.0.1 (TUIXUAN_HTTPS=0, see settings.py). No
# autoreloader: a second process that restarts on every edit is for development, not the demo.
RUN_ENV := TUIXUAN_DEBUG=0 TUIXUAN_HTTPS=0
RUN_ADDRESS ?= 127.0.0.1:8000
run: env browser $(MIGRATED) $(DEMO) $(STATIC)
	@echo "在浏览器中打开 http://$(RUN_ADDRESS)/ （演示账号见 README.md）"
	@$(RUN_ENV) $(MANAGE) worker & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(RUN_ENV) $(MANAGE) runserver $(RUN_ADDRESS) --noreload

lint: env
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	PYTHONPATH=src $(VENV)/bin/lint-imports --no-cache

format: env
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# PostgreSQL on 127.0.0.1:5432 (trust auth, database `test`); started if it is down.
postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || \
		pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 1; done; \
		echo "PostgreSQL 未能在 127.0.0.1:5432 启动"; exit 1

# axe-core, pinned, audits every page the browser tests show (tests/e2e/accessibility.py). From
# npm into .tools/; the product never serves it.
AXE_VERSION := 4.14.1
AXE := $(TOOLS)/axe/node_modules/axe-core/axe.min.js
$(AXE):
	@command -v npm >/dev/null || { SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm >/dev/null; }
	npm install --prefix $(TOOLS)/axe --no-save --no-package-lock --no-audit --no-fund \
		--loglevel=error axe-core@$(AXE_VERSION)
	@grep -q '"version": "$(AXE_VERSION)"' $(TOOLS)/axe/node_modules/axe-core/package.json

# Debian packages: chromium for the browser tests (never a downloaded browser), the CJK font
# and Pango for the PDF forms (WeasyPrint), LibreOffice (headless) to prove the Word forms open
# in an office suite, GNU gettext for the English catalogue (`make messages` and its tests),
# poppler-utils (pdftoppm) for the page images of the paper proof (tests/documents).
DEBIAN_PACKAGES := chromium fonts-wqy-zenhei libpango-1.0-0 libpangoft2-1.0-0 \
	libreoffice-writer-nogui gettext poppler-utils
browser: $(AXE)
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "wenquanyi zen hei" \
		|| ! ldconfig -p | grep -q libpangoft2-1.0 || ! command -v soffice >/dev/null \
		|| ! command -v msgfmt >/dev/null || ! command -v pdftoppm >/dev/null; then \
		echo "==> 安装 $(DEBIAN_PACKAGES)（Debian 软件包）"; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(DEBIAN_PACKAGES) >/dev/null; \
	fi

# Debian packages only the benches use (the product itself never needs them): wrk, the HTTP load
# generator bench/pages.py drives; haproxy, the load balancer bench/cluster.py puts in front of its
# three app nodes (its network namespaces need iproute2's `ip`).
BENCH_PACKAGES := wrk haproxy iproute2
bench-tools: env
	@if ! command -v wrk >/dev/null || ! command -v haproxy >/dev/null || ! command -v ip >/dev/null; then \
		echo "==> 安装 $(BENCH_PACKAGES)（Debian 软件包，仅基准测试使用）"; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(BENCH_PACKAGES) >/dev/null; \
	fi

# The English catalogue (docs/architecture.md, "Strings and languages"): collect the strings
# marked in src/tuixuan (the msgids are the Chinese text), then compile the .mo, which is
# committed beside the .po. Translate what is new in django.po before running it a second time.
# tests/common/test_i18n.py runs makemessages with the same options.
messages: env browser
	cd src/tuixuan && $(CURDIR)/$(PY) $(CURDIR)/manage.py makemessages --locale en \
		--extension html,txt,py --no-obsolete --no-wrap --add-location file
	cd src/tuixuan && $(CURDIR)/$(PY) $(CURDIR)/manage.py compilemessages --locale en

test-sqlite: env browser
	@echo "==> 测试：SQLite"
	@set -o pipefail; DATABASE_URL=sqlite:///$(CURDIR)/var/test-run.sqlite3 \
		$(PY) -m pytest $(PYTEST_ARGS) 2>&1 | sed -u 's/^/[SQLite] /'

test-postgres: env browser postgres
	@echo "==> 测试：PostgreSQL"
	@set -o pipefail; DATABASE_URL=$(PG_URL) \
		$(PY) -m pytest $(PYTEST_ARGS) 2>&1 | sed -u 's/^/[PostgreSQL] /'

# The two databases run side by side (TEST_JOBS=1 runs them one after the other). Their test
# databases, paper-proof images and Redis keys are kept apart (tests/conftest.py, settings.py);
# each line of their output carries the database's name.
TEST_JOBS ?= 2
test: lint
	@$(MAKE) --no-print-directory env browser postgres
	$(MAKE) --no-print-directory --jobs=$(TEST_JOBS) test-sqlite test-postgres

clean:
	rm -rf $(VENV) $(TOOLS) var .pytest_cache .ruff_cache
