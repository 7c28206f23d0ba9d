# The README's two commands: `make demo` and `make test`. Both build .venv/ when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED ?= ../shared

.PHONY: demo test lint check bench-quality bench-speed bench-frontier train clean-venv

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,bench,all]'
	touch $(STAMP)

demo: $(STAMP)
	@echo "== cleaner clean examples/page.txt"
	@$(BIN)/cleaner clean examples/page.txt
	@echo
	@echo "== cleaner clean examples/page.txt --diff (what went)"
	@$(BIN)/cleaner clean examples/page.txt --diff

# The packs test themselves; with ../shared beside the clone they also run over the dev set's
# gold texts, and a pack that removes more than 0.1% of those lines fails the build.
GOLD := $(wildcard $(SHARED)/bench/dev/*.jsonl.gz)
test: $(STAMP)
	$(BIN)/cleaner rules test $(if $(GOLD),$(foreach f,$(GOLD),--corpus $(f)) --field gold)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check cleaner tests bench
	$(BIN)/mypy

check: lint test

bench-quality: $(STAMP)
	$(BIN)/python bench/quality.py --shared $(SHARED) --by-type
	$(BIN)/python bench/quality_html.py --shared $(SHARED)
	$(BIN)/python bench/packs.py --shared $(SHARED)

bench-speed: $(STAMP)
	$(BIN)/python bench/speed.py --shared $(SHARED)

bench-frontier: $(STAMP)
	$(BIN)/python bench/frontier.py --shared $(SHARED)

train: $(STAMP)
	$(BIN)/python -m pip install --quiet -c bench/constraints.txt lightgbm numpy jusText
	$(BIN)/python bench/train.py --shared $(SHARED)
	$(BIN)/python bench/pin_model.py

clean-venv:
	rm -rf $(VENV)
