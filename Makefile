# Two commands on a fresh machine: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test lint bench clean explorer-assets

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev,ray]"
	touch $(STAMP)

install: $(STAMP)

## Baseline on the embedded Familjen Helsingborg region, full scale, 2019-2050.
run: $(STAMP)
	$(VENV)/bin/fh-sim run

## The test suite, after the format, lint and type checks.
test: $(STAMP)
	$(VENV)/bin/ruff format --check src tests benchmarks examples
	$(VENV)/bin/ruff check src tests benchmarks examples
	$(VENV)/bin/mypy
	$(PY) -m pytest -q

## Solara's browser files for `fh-sim explore` on a machine without internet access
## (with internet, Solara fetches and caches them itself on first use).
SOLARA_CDN = $(shell $(PY) -c "import solara.server.settings as s; print(s.assets.proxy_cache_dir)")
explorer-assets: $(STAMP)
	mkdir -p "$(SOLARA_CDN)/@widgetti/solara-vuetify3-app@5.2.0" "$(SOLARA_CDN)/requirejs@2.3.6" \
	  "$(SOLARA_CDN)/font-awesome@4.5.0"
	cd "$(SOLARA_CDN)" && npm pack --silent @widgetti/solara-vuetify3-app@5.2.0 requirejs@2.3.6 \
	  font-awesome@4.5.0 && \
	  tar xzf widgetti-solara-vuetify3-app-5.2.0.tgz --strip-components=1 -C "@widgetti/solara-vuetify3-app@5.2.0" && \
	  tar xzf requirejs-2.3.6.tgz --strip-components=1 -C requirejs@2.3.6 && \
	  tar xzf font-awesome-4.5.0.tgz --strip-components=1 -C font-awesome@4.5.0 && rm -f *.tgz

## Format, lint and type checks.
lint: $(STAMP)
	$(VENV)/bin/ruff format --check src tests benchmarks examples
	$(VENV)/bin/ruff check src tests benchmarks examples
	$(VENV)/bin/mypy

bench: $(STAMP)
	$(PY) benchmarks/run_benchmarks.py

clean:
	rm -rf $(VENV) outputs multirun
