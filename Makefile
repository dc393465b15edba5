# Developer entry points. `make run` starts the demo; `make test` runs the suite on SQLite and
# PostgreSQL; `make lint` runs the static checks that CI runs.

PORT ?= 8000
ARGS ?=
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
# The install step reruns only when requirements/dev.txt is newer than this stamp.
VENV_STAMP := $(VENV)/.installed-dev
VAR_DIR := $(or $(NAS_VAR_DIR),var)
LOCALE_DIR := nas/locale

# The demo always runs on the SQLite database under var/, never on a DATABASE_URL that happens
# to be set in the shell (which could be a real database).
DEMO_ENV := NAS_DEMO=1 DJANGO_DEBUG=1 DATABASE_URL=

.PHONY: venv run test lint messages messages-extract clean-demo bench screenshots

venv: $(VENV_STAMP)

$(VENV_STAMP): requirements/dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements/dev.txt
	$(PY) -m pip check --disable-pip-version-check >/dev/null
	@touch $@

# Compile the translations, if there are any yet; compilemessages skips up-to-date files.
# Without gettext the pages fall back to English: a warning, except under CI where it fails.
messages: venv
	@if [ -z "$$(find $(LOCALE_DIR) -name '*.po' 2>/dev/null | head -n 1)" ]; then \
		:; \
	elif ! command -v msgfmt >/dev/null; then \
		echo "WARNING: msgfmt not found (install gettext): translations are not compiled" >&2; \
		[ "$${CI:-}" != true ]; \
	else \
		cd nas && PYTHONPATH=$(CURDIR) DJANGO_SETTINGS_MODULE=nas.config.settings.test \
			$(CURDIR)/$(VENV)/bin/django-admin compilemessages; \
	fi

# Extract the translatable strings into nas/locale/{fi,sv}/LC_MESSAGES/django.po.
messages-extract: venv
	mkdir -p $(LOCALE_DIR)
	DJANGO_SETTINGS_MODULE=nas.config.settings.test NAS_VAR_DIR=$$(mktemp -d) $(PY) manage.py \
		makemessages --locale fi --locale sv --ignore=.venv --ignore=var --no-obsolete

run: venv messages
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py demo_setup
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: venv messages
	PY=$(PY) scripts/test.sh $(ARGS)

# Run every check even when an earlier one fails, so that one run shows all the problems.
# pip-audit needs PyPI's vulnerability data: when it cannot reach it, it says so loudly and
# passes, unless NAS_REQUIRE_DEPENDENCY_AUDIT=1; a known vulnerability always fails.
lint: venv
	@status=0; \
	echo "--- ruff check"; $(VENV)/bin/ruff check . || status=1; \
	echo "--- ruff format --check"; $(VENV)/bin/ruff format --check . || status=1; \
	echo "--- mypy"; $(VENV)/bin/mypy nas || status=1; \
	echo "--- makemigrations --check"; \
	DJANGO_SETTINGS_MODULE=nas.config.settings.test DATABASE_URL=sqlite://:memory: \
		$(PY) manage.py makemigrations --check --dry-run || status=1; \
	echo "--- bandit (no medium or high finding)"; \
	$(VENV)/bin/bandit -c pyproject.toml -r nas scripts --quiet --severity-level medium \
		--format custom --msg-template "{relpath}:{line}: {test_id} [{severity}] {msg}" \
		&& echo "no finding" || status=1; \
	echo "--- pip-audit (no known vulnerability)"; \
	$(PY) scripts/dependency_audit.py requirements/base.txt requirements/dev.txt || status=1; \
	exit $$status

# Benchmarks (docs/benchmarks.md): builds or reuses databases under .bench/ and prints a table.
# BENCH_ARGS e.g. "--referrals 100000 --databases sqlite" or "--quick".
BENCH_ARGS ?=
bench: venv
	$(PY) bench/run.py $(BENCH_ARGS)

clean-demo:
	rm -rf $(VAR_DIR)

# The screenshots of docs/screenshots, from a throwaway demo (needs Chromium).
screenshots: venv messages
	$(PY) scripts/screenshots.py
