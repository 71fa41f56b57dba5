# jwt-accord: every target installs what it needs itself (scripts/setup.sh).
.DEFAULT_GOAL := help
SHELL := /bin/bash
# Runner arguments for one stage's test runner: `make test-python ARGS='...'`.
ARGS ?=

help: ## List the targets
	@awk 'BEGIN{FS=":.*## "} /^[a-z][a-z0-9_-]*:.*## /{printf "  make %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo
	@echo "The inner loop: one stage, one test file, one test (ARGS go to that stage's runner,"
	@echo "which then skips the lint gates; builds use cargo's dev profile and are shared):"
	@echo "  make test-rust   ARGS='--test vectors'                 one test file (core/tests/vectors.rs)"
	@echo "  make test-rust   ARGS='--lib lookup'                   unit tests whose name contains 'lookup'"
	@echo "  make test-python ARGS='py/tests/test_api.py'           one test file"
	@echo "  make test-python ARGS='py/tests/test_api.py -k explicit_environment'   one test"
	@echo "  make test-node   ARGS='js/test/api.test.mjs'           one test file, against the napi addon"
	@echo "  make test-node   ARGS='--test-name-pattern=structured js/test/api.test.mjs'   one test"
	@echo "  make test-wasm   ARGS='js/wasm/test/wasm.test.mjs'     one file, against WASM in Node"
	@echo "  make test-edge   ARGS='workerd deno'                   some runtimes or bundles (names as printed)"
	@echo "  make test-cli    ARGS='--test hardening'               one test file of bindings/cli/tests"
	@echo "  make test-rules  ARGS='deploy/prometheus/tests/environment-mismatch.yml'   one alert rule test file"
	@echo "  make test-fuzz   ARGS='verify'                         one fuzz target (FUZZ_SECONDS, default 30)"

demo: ## Build the CLI and run the drift demo (the main job)
	@scripts/demo.sh

test: ## Run every check and test, exactly what CI runs; a summary line per stage
	@scripts/test.sh

test-rust: ## fmt, clippy, docs check, the core's tests and every vector
	@scripts/test.sh rust $(if $(ARGS),-- $(ARGS))

test-python: ## Build the Python package into .venv; ruff, mypy, stubtest, pytest
	@scripts/test.sh python $(if $(ARGS),-- $(ARGS))

test-node: ## Build the napi addon; tsc and the JS suite against it
	@scripts/test.sh node $(if $(ARGS),-- $(ARGS))

test-wasm: ## Build the WASM package; the JS suite in Node and in headless Chromium
	@scripts/test.sh wasm $(if $(ARGS),-- $(ARGS))

test-edge: ## The WASM package in workerd, Deno, Bun, Node, and esbuild/bun/Vite bundles (Chromium)
	@scripts/test.sh edge $(if $(ARGS),-- $(ARGS))

test-cli: ## The CLI's integration tests and the demo
	@scripts/test.sh cli $(if $(ARGS),-- $(ARGS))

test-rules: ## The Prometheus alert rules: promtool check rules and their unit tests
	@scripts/test.sh rules $(if $(ARGS),-- $(ARGS))

test-dist: ## Build dist/; install the wheel, sdist, static CLI and npm tarballs with no Rust on PATH; the vectors
	@scripts/test.sh dist

test-e2e: ## The end-to-end system (Python auth, Node API, Rust service, browser page)
	@scripts/test.sh e2e $(if $(ARGS),-- $(ARGS))

test-fuzz: ## Each fuzz target for 30 seconds
	@scripts/test.sh fuzz $(if $(ARGS),-- $(ARGS))

fuzz: ## Each fuzz target for FUZZ_SECONDS (default 900)
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-900} scripts/fuzz.sh $(ARGS)

vectors: ## Regenerate the computed parts of tests/vectors/*.json
	UPDATE_VECTORS=1 cargo test -p jwt-accord --test vectors

bench: ## Every benchmark (release builds): Rust (criterion), Python, Node, WASM
	@scripts/bench.sh

bench-rust: ## Criterion: the core beside the bare jsonwebtoken crate
	@scripts/bench.sh rust

bench-python: ## jwt_accord beside PyJWT, in one process
	@scripts/bench.sh python

bench-node: ## The napi addon beside jsonwebtoken, jose, fast-jwt and @node-rs/jsonwebtoken
	@scripts/bench.sh node

bench-wasm: ## The WASM build beside the napi addon and jose; .wasm size
	@scripts/bench.sh wasm

dist: ## Installable artifacts into dist/: abi3 manylinux2014 wheel, sdist, static musl CLI, npm tarballs (addon, platform package, WASM)
	@scripts/dist.sh $(ARGS)

setup: ## Install every tool the tests need (idempotent)
	@scripts/setup.sh all

.PHONY: help demo test test-rust test-python test-node test-wasm test-edge test-cli test-rules test-dist test-e2e test-fuzz fuzz vectors bench bench-rust bench-python bench-node bench-wasm dist setup
