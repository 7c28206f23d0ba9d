# The README's two commands: `make demo` and `make test`. Both build .venv/ when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CLI_STAMP := $(VENV)/.installed-cli
SHARED ?= ../shared

.PHONY: demo test lint check bench-quality bench-speed bench-frontier train atoms model-numbers docs clean-venv

# The compiled core (cleaner/_core.pyx) is built by pip with the machine's C compiler. The
# demo needs the CLI's dependencies only, installed by the pip the interpreter ships (no
# upgrade: a fresh Python's pip must do); the tests add the extras, the integrations and the
# training and benchmark tools.
$(CLI_STAMP): pyproject.toml setup.py cleaner/_core.pyx $(wildcard cleaner/_core_src/*)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e .
	touch $(CLI_STAMP)

$(STAMP): $(CLI_STAMP)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,bench,all]'
	touch $(STAMP)

demo: $(CLI_STAMP)
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
	$(BIN)/ruff check cleaner training tests bench docs
	$(BIN)/mypy

check: lint test

bench-quality: $(STAMP)
	$(BIN)/python -m bench.quality --shared $(SHARED) --by-type
	$(BIN)/python -m bench.quality_html --shared $(SHARED)
	$(BIN)/python -m bench.packs --shared $(SHARED)
	$(BIN)/python -m bench.threads
	$(BIN)/python -m bench.markdown --shared $(SHARED)
	$(BIN)/python -m training.pages --shared $(SHARED) --no-model

bench-speed: $(STAMP)
	$(BIN)/python -m bench.speed --shared $(SHARED)

bench-frontier: $(STAMP)
	$(BIN)/python -m bench.frontier --shared $(SHARED)

train: $(STAMP)
	$(BIN)/python -m pip install --quiet -c bench/constraints.txt lightgbm numpy jusText
	$(BIN)/python -m training.train --shared $(SHARED)
	$(BIN)/python -m training.pin
	$(BIN)/python -m training.pages --shared $(SHARED)
	$(MAKE) model-numbers

# The built-in packs read ahead for a fast start: their patterns' atoms (rulebook/atoms.py)
# and their YAML documents (rulebook/loader.py); a test fails when a pack changed and this
# was not run.
atoms: $(STAMP)
	$(BIN)/python -c "from cleaner.rulebook.atoms import builtin_patterns, write_shipped; \
	write_shipped(builtin_patterns())"
	$(BIN)/python -c "from cleaner.rulebook.loader import builtin_pack_dir, pack_files, \
	write_read_ahead; write_read_ahead(pack_files([builtin_pack_dir()]))"

# The shipped model files' numbers read ahead in binary (content/readahead.py); a test fails
# when a model file changed and this was not run.
model-numbers: $(STAMP)
	$(BIN)/python -c "from cleaner.content.readahead import write_shipped; write_shipped()"

# docs/report.png: `cleaner report` over the bundled example pages, in headless Chromium.
docs: $(STAMP)
	$(BIN)/python docs/screenshot.py

clean-venv:
	rm -rf $(VENV)
