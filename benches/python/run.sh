#!/usr/bin/env bash
# The Python benchmark (`make bench-python`, via scripts/bench.sh): builds
# jwt_accord into .venv with the release profile (as `pip install ./py` does),
# then runs bench.py: Signer.sign / Verifier.verify beside PyJWT in one
# process, and resident memory over 1,000,000 verifications.
# Usage: benches/python/run.sh [bench.py options, e.g. --quick]
set -euo pipefail
cd "$(dirname "$0")/../.."
# The release build (LTO), into .venv (the tests' dev build is replaced; the
# next test run reinstalls it).
JWT_ACCORD_PROFILE=release scripts/build.sh python
exec .venv/bin/python benches/python/bench.py "$@"
