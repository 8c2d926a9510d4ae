# The two commands a fresh machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
# Debian packages the test suite drives for real: a virtual X screen with a system tray
# (trayer) for the window and tray tests,
# a D-Bus session with gnome-keyring (the real OS keyring test), jing (OPDS RELAX NG schemas)
# the freedesktop validators for the packaging files, fuse and libfuse2 (a case-insensitive
# drive for the tidy tests), binutils (PyInstaller's objdump), and
# LuaJIT with LuaSocket and LuaSec (the HTTP libraries KOReader is built on) for HTTPS.
DEBIAN_TEST_PACKAGES := xvfb trayer xauth dbus dbus-x11 gnome-keyring jing libegl1 libgl1 \
	libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0 \
	libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 \
	libxcb-randr0 libxcb-render-util0 libxcb-image0 x11-utils \
	desktop-file-utils appstream binutils luajit lua-socket lua-sec fuse libfuse2

# What `make bench` drives besides Python: wrk, the HTTP load generator of the kosync benchmark.
DEBIAN_BENCH_PACKAGES := wrk

.PHONY: run test lint format bench bench-scale bench-ab bench-deps system-deps clean dist check-dist

# The bundle is built from its own virtualenv with a regular (not editable) install, so only
# the app's own dependencies and PyInstaller are in it.
DIST_VENV := .venv-dist
DIST_STAMP := $(DIST_VENV)/.installed

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(STAMP)

run: $(STAMP)
	$(BIN)/bookorbit-desktop

# Installs the Debian packages the tests use when running as root (CI, fresh machines);
# without root, tests that need them skip with a reason.
system-deps:
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		missing=""; for p in $(DEBIAN_TEST_PACKAGES); do \
			dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
		if [ -n "$$missing" ]; then \
			echo "Installing Debian packages:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
		fi; \
	fi

# The suite runs two workers a core (pytest-xdist; `make test TEST_WORKERS=1` for one): many
# tests wait part of their time (a program they started, a loopback server, the disk, Qt's
# timers), and a second worker a core fills that time (on two cores, the parallel part takes
# about 460 s instead of 650 s). ALONE_TESTS cannot share the machine, so they run after the
# rest, by themselves: the hostile-network modules flood a real server from another process
# (password guesses, a thousand idle or silent connections, every KOReader channel held open
# by idle connections) and assert how fast the real user is still answered; the highlight
# rules, the history import and the search patterns hold a plan, a refusal or a search to a
# wall-clock bound (a quadratic plan took a minute), which a test on the other core would
# decide.
TEST_WORKERS ?= $(shell $(PYTHON) -c 'import os; print(2 * len(os.sched_getaffinity(0)))' \
	2>/dev/null || echo auto)
ALONE_TESTS := tests/server/hostile/test_logins.py tests/server/hostile/test_https_flood.py \
	tests/server/hostile/test_connections.py tests/guards/test_channels.py \
	tests/library/highlights/test_rules.py tests/library/history/test_hostile_import.py \
	tests/library/search/test_pattern_time.py

# Bytecode is compiled once, before the tests: the hundreds of processes they start (the
# command line, `serve`, the window) then load it instead of each compiling what it imports,
# and pytest keeps the test modules it rewrote for its assertion messages. A machine that sets
# PYTHONDONTWRITEBYTECODE (ours do) would otherwise have every process compile again.
TEST_ENV := PYTHONDONTWRITEBYTECODE= QT_QPA_PLATFORM=offscreen
test: $(TEST_STAMP) system-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m compileall -q -j 0 bookorbit_desktop tests
	$(TEST_ENV) $(BIN)/python -m pytest -q -n $(TEST_WORKERS) \
		$(addprefix --ignore=,$(ALONE_TESTS))
	$(TEST_ENV) $(BIN)/python -m pytest -q $(ALONE_TESTS)

$(DIST_STAMP): pyproject.toml
	$(PYTHON) -m venv $(DIST_VENV)
	$(DIST_VENV)/bin/python -m pip install --quiet --upgrade pip
	touch $@

# dist/BookOrbitDesktop-<version>-linux-<arch>.tar.xz (PyInstaller needs binutils: objdump, strip).
dist: $(DIST_STAMP) system-deps
	$(DIST_VENV)/bin/python -m pip install --quiet '.[dist]'
	$(DIST_VENV)/bin/python packaging/make_dist.py

# Runs the packed bundle headlessly and validates what install.sh installs (CI runs this
# after `make test` and `make dist`).
check-dist: $(TEST_STAMP) system-deps
	@archive="$$(ls -t dist/BookOrbitDesktop-*-linux-*.tar.xz 2>/dev/null | head -1)"; \
	if [ -z "$$archive" ]; then echo "check-dist: no archive in dist/; run make dist first" >&2; exit 1; fi; \
	echo "Checking $$archive"; \
	BOOKORBIT_DIST_ARCHIVE="$$archive" QT_QPA_PLATFORM=offscreen \
		$(BIN)/python -m pytest -q -p no:cacheprovider tests/packaging/test_bundle.py

lint:
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format:
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

bench-deps:
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		missing=""; for p in $(DEBIAN_BENCH_PACKAGES); do \
			dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
		if [ -n "$$missing" ]; then \
			echo "Installing Debian packages:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
		fi; \
	fi

bench: $(TEST_STAMP) bench-deps
	$(BIN)/python benchmarks/import_bench.py
	$(BIN)/python benchmarks/kosync_load.py
	$(BIN)/python benchmarks/kosync_load.py --wrk
	$(BIN)/python benchmarks/lan_attack.py
	$(BIN)/python benchmarks/opds_bench.py
	$(BIN)/python benchmarks/match_bench.py
	$(BIN)/python benchmarks/backfill_bench.py
	$(BIN)/python benchmarks/ui_startup.py
	$(BIN)/python benchmarks/backup_bench.py
	$(BIN)/python benchmarks/cli_bench.py
	$(BIN)/python benchmarks/ui_stall.py
	$(BIN)/python benchmarks/watched_folders.py
	$(BIN)/python benchmarks/idle_budget.py
	$(BIN)/python benchmarks/device_send.py
	$(BIN)/python benchmarks/history_bench.py
	$(BIN)/python benchmarks/history_reads_bench.py
	$(BIN)/python benchmarks/highlights_bench.py
	$(BIN)/python benchmarks/stats_upload.py
	$(BIN)/python benchmarks/highlights_load.py
	$(BIN)/python benchmarks/device_flood.py
	$(BIN)/python benchmarks/write_pages.py

# The scale benchmarks at one library size in one table (figure | value | goal):
# `make bench-scale`, or `BOOKS=50000 make bench-scale`.
BOOKS ?= 250000
bench-scale: $(TEST_STAMP) bench-deps
	$(BIN)/python benchmarks/scale_table.py --books $(BOOKS)

# The import, search and kosync benchmarks on this checkout and on BASE (a commit), in
# interleaved pairs, with each figure's ratio and spread: `make bench-ab BASE=main`.
bench-ab: $(TEST_STAMP) bench-deps
	@if [ -z "$(BASE)" ]; then echo "bench-ab: name the base commit, e.g. make bench-ab BASE=main" >&2; exit 2; fi
	$(BIN)/python benchmarks/ab.py --base $(BASE) $(AB_ARGS)

clean:
	rm -rf $(VENV) $(DIST_VENV) build dist *.egg-info .pytest_cache .ruff_cache
