# jobfit — two set-up commands: `make run` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run ui test lint bench eval clean demo

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

test: $(STAMP)
	$(BIN)/ruff check agent tools ui store tests
	$(BIN)/mypy
	$(BIN)/python -m pytest

# The web chat on http://127.0.0.1:8000 with the offline model, in open single-user mode
# (JOBFIT_AUTH=password for accounts). The bundled sample jobs are imported only when the
# store is empty. `make demo` is the terminal demo.
run: $(STAMP)
	@if $(BIN)/python -c "import sys; from agent.bootstrap import build_service; \
	sys.exit(0 if build_service().job_count() == 0 else 1)"; then \
	$(BIN)/jobfit import store/samples/jobs.json; fi
	JOBFIT_LLM=$${JOBFIT_LLM:-offline} $(BIN)/jobfit ui --host 127.0.0.1 --port $${PORT:-8000}

ui: run

demo: $(STAMP)
	$(BIN)/jobfit import store/samples/jobs.json
	$(BIN)/jobfit demo

bench: $(STAMP)
	$(BIN)/python -m tests.bench.run_all

# Match quality on real human-labelled data (../shared/data/real-dev) next to TF-IDF and
# embedding baselines; tables on stdout, figures in data/eval/quality.json. A few minutes.
eval: $(STAMP)
	$(BIN)/python -m tests.bench.quality --task all

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
