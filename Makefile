# The course's commands. Run `make` or `make help` to list them.
# Everything runs inside .venv, which `make setup` creates from the pinned lock file.
# Needs only Python 3.10+ and make.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
LOCK   := requirements/lock.txt
# Everything, optional parts included (room server, Spark): what CI installs. lock.txt is resolved within it.
LOCK_ALL := requirements/lock-all.txt
EXTRAS_STAMP := $(VENV)/.cx-extras-installed
STAMP  := $(VENV)/.cx-installed
ROOM_STAMP := $(VENV)/.cx-room-installed
# Lessons in order: 00_welcome.ipynb, 01_....ipynb, ...
LESSONS = $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
# pip and setuptools print warnings that are noise for a learner (ignored extra indexes,
# "editable installation" notices): keep pip's output only when pip fails.
PIP = quiet() { out=$$("$$@" 2>&1) || { echo "$$out"; return 1; }; }; quiet $(PY) -m pip

.PHONY: help setup extras lab lab-student check test rerun notebooks nav data bench lock html student slides handouts answer-key clean room room-deps reset

help: ## list the commands
	@echo "CX analytics course: make <command>"
	@echo
	@grep -E '^[a-z][a-zA-Z_-]*:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'
	@echo
	@echo "Start with 'make lab' (set up and open the course) or 'make test' (run every test)."
	@echo "While changing cxlib, 'make check' is the fast loop (lint, format, types, library tests; under a minute)."

setup: $(STAMP) ## create .venv and install the pinned environment (done once; re-run is instant)
	@echo "==> environment ready ($(VENV); 'rm -rf $(VENV)' to rebuild it from scratch)"

$(STAMP): $(LOCK) pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { \
		echo "This course needs Python 3.10 or newer, and '$(PYTHON)' was not found."; \
		echo "Install it from https://www.python.org/downloads/ (or run 'make PYTHON=python3.12 ...')."; \
		exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null || { \
		echo "This course needs Python 3.10 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)."; \
		echo "Install it from https://www.python.org/downloads/ (or run 'make PYTHON=python3.12 ...')."; \
		exit 1; }
	@if [ ! -x $(PY) ]; then \
		$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { \
			echo "Python's venv module is missing (on Debian/Ubuntu: sudo apt install python3-venv)."; exit 1; }; \
		echo "==> creating the virtual environment in $(VENV) with $$($(PYTHON) --version)"; \
		$(PYTHON) -m venv $(VENV); \
	fi
	@echo "==> installing the pinned packages from $(LOCK) (the first time takes a few minutes)"
	@$(PIP) install -q -r $(LOCK)
	@echo "==> installing cxlib (editable) and the cx command"
	@$(PIP) install -q --no-deps -e .
	@touch $(STAMP)

# JupyterLab's defaults for the course (as in the room): never ask about, or fetch, Jupyter news or updates;
# the open tabs it remembers (workspaces) are kept in the course's own folder, so `make reset` can forget
# this copy's without touching another copy's or another project's
LAB_SETTINGS = --LabApp.app_settings_dir="$(CURDIR)/tools/room/lab-settings" --LabApp.workspaces_dir="$(CURDIR)/.lab-workspaces"

lab: setup ## set up if needed, then open the course in JupyterLab
	@echo "==> opening JupyterLab at notebooks/00_welcome.ipynb (Ctrl+C twice to stop)"
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" $(LAB_SETTINGS) notebooks/00_welcome.ipynb $$([ "$$(id -u)" = 0 ] && echo --allow-root)

lab-student: setup ## open the student edition in JupyterLab (builds it first if there is none)
	@if [ ! -f student/.cx-student ]; then $(PY) tools/build_student.py; \
	elif [ -n "$$(find notebooks tools/build_student.py -newer student/.cx-student -print -quit)" ]; then \
		echo "==> note: student/ is older than the lessons; 'make student' rebuilds it (and replaces learners' answers)"; fi
	@echo "==> opening JupyterLab on the student edition at student/notebooks/00_welcome.ipynb (Ctrl+C twice to stop)"
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)/student" $(LAB_SETTINGS) notebooks/00_welcome.ipynb $$([ "$$(id -u)" = 0 ] && echo --allow-root)

# The fast loop while changing cxlib: no notebooks, no `cx run`/`cx report`, no browser, no room server,
# no test of a second or more (tests/conftest.py marks those `slow`; `make test` runs everything).
check: setup ## the fast library loop (under a minute): ruff check, ruff format --check, mypy, library tests without the slow ones
	@echo "==> ruff check, ruff format --check, mypy"
	$(BIN)/ruff check cxlib tests tools benchmarks
	$(BIN)/ruff format --check cxlib tests tools benchmarks
	$(BIN)/mypy
	@echo "==> library tests, slow ones left out (make test runs them all)"
	$(PY) -m pytest tests -m "not slow" -n 2 -q -p no:randomly

# CI (CI=true) installs the optional parts too, so no test is skipped there; elsewhere the tests that
# need them (Spark, the room server, Chromium) are skipped with a message saying how to enable them.
test: setup $(if $(filter true 1,$(CI)),extras) ## set up if needed, then run the whole test suite (library, doctests, every notebook)
	@echo "==> checking style (ruff) and types (mypy)"
	$(BIN)/ruff check cxlib tests tools benchmarks
	$(BIN)/ruff format --check cxlib tests tools benchmarks
	$(BIN)/mypy
	@echo "==> running the test suite on 2 processes (notebooks run under nbval)"
	$(PY) -m pytest -n 2 --dist loadscope -m "not rerun" --durations=15

rerun: setup ## run every lesson with each code cell executed twice: each cell must print the same again (before a release)
	$(PY) -m pytest -n 2 --dist loadscope -m rerun tests/test_notebook_rerun.py

notebooks: setup ## re-execute and save every lesson in order, then refresh navigation
	@for nb in $(LESSONS); do \
		echo "==> executing $$nb"; \
		$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
			--ExecutePreprocessor.timeout=300 --log-level=WARN "$$nb"; \
	done
	@$(MAKE) nav

nav: setup ## regenerate the navigation lines, the README lesson table and the contents of lesson 00
	@echo "==> updating navigation, README lessons table and 00_welcome contents"
	$(PY) tools/navigation.py

data: setup ## regenerate the bundled synthetic data in data/
	@echo "==> regenerating data/ from cxlib.simulation (fixed seed)"
	$(PY) -c "from cxlib.simulation import regenerate; regenerate('data')"
	$(PY) tools/precompute.py

bench: setup ## run every benchmark in benchmarks/ (fails if a target is missed)
	@failed=0; for b in $(sort $(wildcard benchmarks/bench_*.py)); do \
		echo "==> $$b"; \
		$(PY) "$$b" || { echo "!! $$b missed its target"; failed=1; }; \
	done; exit $$failed

lock: setup ## refresh the lock files from pyproject.toml (needs network; see CONTRIBUTING.md)
	@echo "==> installing uv into $(VENV)"
	@$(PIP) install -q uv
	@echo "==> resolving pyproject.toml with every extra (test, room, spark) for Python 3.10+ on every platform"
	$(BIN)/uv pip compile pyproject.toml --extra test --extra room --extra spark --universal --python-version 3.10 -c requirements/constraints.txt -o $(LOCK_ALL)
	@echo "==> resolving pyproject.toml [test] within it (what 'make setup' installs)"
	$(BIN)/uv pip compile pyproject.toml --extra test --universal --python-version 3.10 -c $(LOCK_ALL) -o $(LOCK)
	@echo "==> done: review 'git diff requirements/', then run 'make test' before committing"

extras: $(EXTRAS_STAMP) ## install the optional parts too (room server, Spark; needs the network; CI does this)

$(EXTRAS_STAMP): $(STAMP) $(LOCK_ALL)
	@echo "==> installing the optional parts from $(LOCK_ALL): JupyterHub (room server) and PySpark (Spark tests)"
	@$(PIP) install -q -r $(LOCK_ALL)
	@$(PIP) install -q --no-deps -e .
	@touch $(EXTRAS_STAMP)

html: setup ## build a static HTML site of the executed lessons into site/
	$(PY) tools/build_html.py

student: setup ## build the student edition (solutions stripped) into student/
	$(PY) tools/build_student.py

slides: setup ## build the slide deck of each lesson (trainer/slides/NN.yml) into slides/
	$(PY) tools/build_slides.py

handouts: setup ## print each slide deck to PDF into handouts/ (needs Chromium): one slide per page, or PER_PAGE=4 on A4
	$(PY) tools/build_slides.py --handouts handouts --per-page $(or $(PER_PAGE),1)

answer-key: setup ## build the trainer's answer key (HTML and PDF) into answer-key/; never publish it
	$(PY) tools/build_answer_key.py

clean: ## remove build output and caches (keeps .venv and student/, which holds learners' answers: 'make reset' asks first)
	@echo "==> removing site/ slides/ handouts/ answer-key/ runs/ and caches (student/ is kept: learners' answers)"
	rm -rf site slides handouts answer-key runs build dist .pytest_cache .hypothesis
	find . -path ./$(VENV) -prune -o \( -name __pycache__ -o -name .ipynb_checkpoints \) -type d -print0 | xargs -0 rm -rf

room-deps: $(ROOM_STAMP) ## install the room server's extra packages into .venv (done once; needs the network)

$(ROOM_STAMP): $(STAMP) pyproject.toml
	@echo "==> installing the room server's packages (pyproject.toml [room]): JupyterHub,"
	@echo "    its Python proxy (configurable-http-proxy), segno for the QR code; the first time takes a minute"
	@$(PIP) install -q -c $(LOCK_ALL) -e ".[room]"
	@echo "==> installed: $$($(PY) -c 'import jupyterhub, segno; from importlib.metadata import version as v; print("jupyterhub", v("jupyterhub"), "| configurable-http-proxy", v("configurable-http-proxy"), "| segno", v("segno"))')"
	@touch $(ROOM_STAMP)

room: room-deps ## run the course for a whole room from this machine; learners join in a browser (ARGS="--help")
	@$(PY) tools/room/room.py $(ARGS)

reset: setup ## return this laptop to a clean course (lists what it deletes, asks first; YES=1 to skip asking)
	@$(PY) tools/reset.py $(if $(filter 1 yes true,$(YES)),--yes)
