# Two commands do all the set-up on a fresh machine:
#   make demo   simulate a session with the built-in virtual sensor and show its analysis
#   make test   lint, type-check and run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= out/demo

.PHONY: demo test lint typecheck pytest recordings bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/imu simulate reverse-crunch --tempo 3-1-3 --reps 8 --sets 2 --seed 7 --out $(OUT)/session.parquet
	$(BIN)/imu info $(OUT)/session.parquet

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check imu firmware_protocol tests

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

recordings: $(STAMP)
	$(BIN)/python -m imu.sim.bundle recordings

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
