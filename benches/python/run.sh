#!/usr/bin/env bash
# The Python benchmark (`make bench-python`, via scripts/bench.sh): builds
# jwt_accord into .venv with the release profile (as `pip install ./py` does),
# then runs bench.py: Signer.sign / Verifier.verify beside PyJWT in one
# process, and resident memory over 1,000,000 verifications.
# Usage: benches/python/run.sh [bench.py options, e.g. --quick]
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/setup.sh venv
export VIRTUAL_ENV="$PWD/.venv"
export PATH="$VIRTUAL_ENV/bin:$PATH"
export PYO3_PYTHON="$VIRTUAL_ENV/bin/python"
pip install --quiet --disable-pip-version-check --no-build-isolation --no-deps --force-reinstall ./py
exec python benches/python/bench.py "$@"
