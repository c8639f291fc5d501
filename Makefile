# Two commands do all the set-up on a fresh machine:
#   make demo   install, then build the seed documents into the embedded store and ask it a question
#   make test   install with test extras, provision Chromium and a local Neo4j, run the whole suite
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed

.PHONY: demo test install lint clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	bash scripts/demo

test: $(STAMP)
	bash scripts/test

lint: $(STAMP)
	$(BIN)/ruff check kg tests bench

clean:
	rm -rf kg-store exports/*.html exports/*.ttl exports/*.nq
