# mxlib — the two commands a new user needs are `make study` and `make test`.
# Both create or refresh .venv themselves. torch is installed first and on its own:
# on a CPU-only machine `torch==2.13.0` must resolve to the CPU build (set TORCH_INDEX
# to https://download.pytorch.org/whl/cpu where your pip would otherwise pick a CUDA wheel).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TORCH_VERSION ?= 2.13.0
TORCH_INDEX ?=
INSTALLED := $(VENV)/.installed
# tools and notebook kernels (nbdev-test, papermill) run from the project's venv
export VIRTUAL_ENV := $(abspath $(VENV))
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: install study test test-slow bench check-clean export clean-venv

$(INSTALLED): pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q "torch==$(TORCH_VERSION)" $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX))
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $(INSTALLED)

install: $(INSTALLED)

export: install
	$(BIN)/nbdev-export

# the main job on the embedded defaults: for now the formats error table and the formats benchmark
study: export
	$(BIN)/python -m mxlib.bench --task errors
	$(BIN)/python -m mxlib.bench --task formats

bench: export
	$(BIN)/python -m mxlib.bench --task formats
	$(BIN)/python -m mxlib.fpga --task bench

# the HLS C-simulation testbench (fresh vectors from mxlib), then every notebook's tests
# (cells flagged `slow` are skipped; `make test-slow` runs them)
test: export
	$(MAKE) -C hls test PYTHON=$(abspath $(BIN)/python)
	$(BIN)/nbdev-test --n-workers 2 --timing
	@echo "notebooks: $(words $(wildcard nbs/*.ipynb)) passed, 0 failed"

test-slow: export
	$(BIN)/nbdev-test --n-workers 2 --timing --flags slow

# fails when nbdev-export or nbdev-clean would change a tracked file (run by CI)
check-clean: install
	$(BIN)/nbdev-export
	$(BIN)/nbdev-clean
	git diff --exit-code --stat || (echo "nbdev-export/nbdev-clean changed tracked files: run them and commit"; exit 1)
	test -z "$$(git status --porcelain --untracked-files=all mxlib nbs)" || (git status --porcelain mxlib nbs; echo "untracked generated files: commit them"; exit 1)

clean-venv:
	rm -rf $(VENV)
