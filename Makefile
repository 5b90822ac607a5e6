# desktop_pos developer tasks (GNU make).
#   make demo    start the app in demo mode
#   make test    ruff + mypy + pytest (offscreen Qt)
#   make installer  the Linux .deb (dist/desktop-pos_<version>_<arch>.deb)
# Every target that needs Python first runs scripts/setup_env.sh (idempotent).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VENV        := .venv
BIN         := $(VENV)/bin
PYTHON      := $(BIN)/python
PYTEST_ARGS ?=
DEMO_ARGS   ?=
TS_FILE     := resources/translations/desktop_pos_en.ts
QM_FILE     := resources/translations/desktop_pos_en.qm

.PHONY: help venv demo test lint fmt bench translations constraints clean installer installer-deps

help:
	@printf '%s\n' \
	  'make venv          create/update .venv (pinned by constraints.txt) and the Debian libraries Qt needs' \
	  'make demo          start the app in demo mode (DEMO_ARGS="..." for more options)' \
	  'make test          ruff, mypy and pytest (PYTEST_ARGS="..." passed to pytest)' \
	  'make lint          ruff check + mypy' \
	  'make fmt           ruff format + ruff check --fix' \
	  'make bench         run the benchmarks (bench/run_all.py)' \
	  'make translations  collect UI strings into $(TS_FILE), fill English, build the .qm' \
	  'make installer     PyInstaller bundle + Debian package in dist/ (installers/, docs/install.md)' \
	  'make installer-deps  PyInstaller in .venv; as root, the packages the .deb depends on' \
	  'make constraints   rewrite constraints.txt from the current .venv' \
	  'make clean         remove build output and caches (keeps .venv)'

venv:
	bash scripts/setup_env.sh

demo: venv
	bash scripts/run_demo.sh $(DEMO_ARGS)

# The installer tests (tests/e2e/test_installer.py) build the .deb: they need PyInstaller.
test: venv installer-deps
	bash scripts/ensure_postgres.sh
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	QT_QPA_PLATFORM=offscreen $(PYTHON) -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

fmt: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

installer-deps: venv
	bash installers/linux/ensure_build_deps.sh

installer: installer-deps
	bash installers/linux/build_deb.sh

bench: venv
	$(PYTHON) bench/run_all.py

translations: venv
	$(BIN)/pyside6-lupdate desktop_pos/ui/*.py -ts $(TS_FILE) -source-language ru_RU -target-language en_US -no-obsolete
	$(PYTHON) scripts/fill_translations.py
	$(BIN)/pyside6-lrelease $(TS_FILE) -qm $(QM_FILE)

constraints: venv
	{ printf '%s\n' \
	    '# Exact versions tested together. Used as:' \
	    "#   .venv/bin/pip install -c constraints.txt -e '.[test]'" \
	    '# Regenerate from a working venv with `make constraints`' \
	    '# (pip freeze --all --exclude-editable, minus setuptools/wheel, which come' \
	    '# from the build-system requirement in pyproject.toml).'; \
	  $(PYTHON) -m pip freeze --all --exclude-editable | grep -viE '^(setuptools|wheel)=='; \
	} > constraints.txt.new
	mv constraints.txt.new constraints.txt

clean:
	rm -rf build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
