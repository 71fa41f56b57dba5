# jwt-accord: every target installs what it needs itself (scripts/setup.sh).
.DEFAULT_GOAL := help
SHELL := /bin/bash

help: ## List the targets
	@awk 'BEGIN{FS=":.*## "} /^[a-z][a-z0-9_-]*:.*## /{printf "  make %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

demo: ## Build the CLI and run the drift demo (the main job)
	@scripts/demo.sh

test: ## Run every check and test, exactly what CI runs
	@scripts/test.sh

test-rust: ## fmt, clippy, the core's tests and every vector
	@scripts/test.sh rust

test-python: ## Build the Python package into .venv and run pytest
	@scripts/test.sh python

test-node: ## Build the napi addon and run the JS suite against it
	@scripts/test.sh node

test-wasm: ## Build the WASM package; run the JS suite in Node and in headless Chromium
	@scripts/test.sh wasm

test-cli: ## The CLI's integration tests
	@scripts/test.sh cli

test-e2e: ## The end-to-end system (Python auth, Node API, Rust service, browser page)
	@scripts/test.sh e2e

test-fuzz: ## Each fuzz target for 30 seconds
	@scripts/test.sh fuzz

fuzz: ## Each fuzz target for FUZZ_SECONDS (default 900)
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-900} scripts/fuzz.sh

vectors: ## Regenerate the computed parts of tests/vectors/*.json
	UPDATE_VECTORS=1 cargo test -p jwt-accord --test vectors

bench: ## Every benchmark: Rust (criterion), Python, Node, WASM
	@scripts/bench.sh

bench-rust: ## Criterion: the core beside the bare jsonwebtoken crate
	@scripts/bench.sh rust

bench-python: ## jwt_accord beside PyJWT, in one process
	@scripts/bench.sh python

bench-node: ## The napi addon beside jsonwebtoken, jose, fast-jwt and @node-rs/jsonwebtoken
	@scripts/bench.sh node

bench-wasm: ## The WASM build beside the napi addon and jose; .wasm size
	@scripts/bench.sh wasm

setup: ## Install every tool the tests need (idempotent)
	@scripts/setup.sh all

.PHONY: help demo test test-rust test-python test-node test-wasm test-cli test-e2e test-fuzz fuzz vectors bench bench-rust bench-python bench-node bench-wasm setup
