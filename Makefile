# Two commands for a fresh machine:
#   make run    set up, build the demo project and start the app on it
#   make test   set up (incl. Chromium for the browser tests) and run every test
VENV   ?= .venv
PY     := $(VENV)/bin/python
DEMO   ?= demo.qcode
PORT   ?= 8501
# make run ADDRESS=0.0.0.0 serves the team: coders from other machines sign in with a password, and so
# does everyone else (QCODE_SIGNIN=1 is set for any address but the loopback one).
ADDRESS ?= 127.0.0.1
SIGNIN := $(if $(filter 127.0.0.1 localhost ::1,$(ADDRESS)),,QCODE_SIGNIN=1)

.PHONY: install run test bench demo browser postgresql clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[test]"
	touch $@

install: $(VENV)/.installed

$(DEMO): | install
	$(PY) -m coding demo $(DEMO)

demo: $(DEMO)

run: install $(DEMO)
	$(SIGNIN) $(PY) -m streamlit run app.py --server.address $(ADDRESS) --server.port $(PORT) --browser.gatherUsageStats false -- --project $(DEMO)

# Debian's chromium for the real-browser tests (never `playwright install`: it downloads a browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; }

# Debian's PostgreSQL server binaries for the copy tests (tests/pg_helpers.py starts a throwaway server from
# them in a temporary folder; it runs as the user postgres when the tests run as root). Debian keeps them in
# /usr/lib/postgresql/<version>/bin, which the tests look in too.
postgresql:
	@command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; fi; }

# ruff first (a lint failure stops the run early), then every test: unit, CLI, app (AppTest), real
# Chromium, and the packaging test (builds the wheel, installs it into a fresh venv, runs qcode there).
test: install browser postgresql
	$(PY) -m ruff check .
	$(PY) -m pytest

bench: install
	$(PY) bench/bench_core.py
	$(PY) bench/bench_cli.py

clean:
	rm -rf $(VENV) $(DEMO) $(DEMO)-wal $(DEMO)-shm
