# Two commands do all the set-up on a fresh machine:
#   make demo   a live set from the virtual sensor (Bumble + bleak, 20x real time), then its tables
#   make test   lint, type-check and run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= out/demo

.PHONY: demo test lint typecheck pytest browser recordings bench clean

# One line per set-up step; a step's own output is shown only when it fails.
QUIETLY = sh -c 'log=$$(mktemp); "$$@" >"$$log" 2>&1; s=$$?; \
	[ $$s -eq 0 ] || { cat "$$log" >&2; echo "failed: $$*" >&2; }; rm -f "$$log"; exit $$s' set-up

$(STAMP): pyproject.toml
	@echo "set-up 1/3: virtual environment $(VENV) ($(PYTHON))"
	@$(QUIETLY) $(PYTHON) -m venv $(VENV)
	@echo "set-up 2/3: pip upgrade"
	@$(QUIETLY) $(BIN)/python -m pip install --upgrade pip
	@echo "set-up 3/3: install hip-imu and its dependencies (a few minutes the first time)"
	@$(QUIETLY) $(BIN)/python -m pip install -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	@echo "demo: 6 simulated reverse crunches streamed by a virtual sensor (Bumble) to bleak," \
		"20x real time, 2% of the radio frames dropped on purpose (the gaps at the end)" \
		"(replacing the last demo's session)"
	@rm -rf $(OUT)/demo.parquet $(OUT)/demo.imuj $(OUT)/demo
	@$(BIN)/imu live --exercise reverse-crunch --tempo 3-1-3 --sim reverse-crunch --sim-reps 6 \
		--sim-seed 7 --sim-drop 0.02 --speed 20 --plain --name demo --out $(OUT)
	@echo "demo: the coaching screen in a browser (or on a phone: --web 0.0.0.0:8765, docs/live.md):"
	@echo "  $(BIN)/imu live --sim reverse-crunch --tempo 3-1-3 --sim-reps 6 --sim-faults" \
		"dropped_eccentric=0.5 --speed 2 --out $(OUT)-web --web   # then open the printed URL"

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check imu firmware_protocol tests

typecheck: $(STAMP)
	$(BIN)/mypy

# The suite on every core (pytest-xdist; at most 4 workers): about 10 min on 2 cores, against
# 17-19 min in one process. A single file or test: .venv/bin/pytest tests/PATH (one process).
pytest: $(STAMP) browser
	$(BIN)/pytest -n auto --maxprocesses 4

# Headless Chromium for the browser tests (tests/report/test_browser.py): Debian's packages,
# installed when missing and running as root; otherwise those tests fail and say how to install
# (IMU_SKIP_BROWSER=1 skips them on purpose).
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then echo "installing chromium chromium-driver (apt-get, about 2 min) for the browser tests"; apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; else echo "chromium/chromedriver missing and not root: the browser tests will fail (apt-get install chromium chromium-driver)"; fi; }

recordings: $(STAMP)
	$(BIN)/python -m imu.sim.bundle recordings

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
