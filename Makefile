# simqa: `make run` sets up and starts the chat; `make test` sets up and runs every test.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: setup browser system-deps run test test-fast lint index bench bench-scale eval clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	# torch first: the pinned CPU build; an unpinned torch would pull a multi-GB CUDA build.
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed

browser:
	bash scripts/install-browser.sh

system-deps:
	bash scripts/install-system-deps.sh

index: setup
	$(VENV)/bin/simqa index

run: setup
	$(VENV)/bin/simqa serve

test: setup browser system-deps
	$(VENV)/bin/ruff check src app tests bench
	$(PY) -m pytest -q

test-fast: setup
	$(PY) -m pytest -q -m "not browser and not slow"

lint: setup
	$(VENV)/bin/ruff check src app tests bench

# Benchmarks 1-4 and 6 (under 10 minutes): a table of ratios, targets, pass/FAIL (bench/README.md).
bench: setup
	$(PY) bench/run_all.py

# Benchmark 5: project, COVID-QA, NFCorpus and a generated 100,000-passage corpus (hours here).
bench-scale: setup
	$(PY) bench/scale.py --work /tmp/simqa-scale --json /tmp/simqa-scale/results.json

eval: setup
	$(VENV)/bin/simqa eval ../shared/eval/sim-dev.jsonl
	$(VENV)/bin/simqa eval eval/sim-hard-unanswerable.jsonl

clean:
	rm -rf $(VENV) index/manifest.json index/*.npy index/*.faiss index/*.json
