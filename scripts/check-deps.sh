#!/usr/bin/env bash
# The core's normal dependency tree must hold no asymmetric-crypto crate, no
# openssl and no ring: HS256 needs only hmac + sha2.
set -euo pipefail
cd "$(dirname "$0")/.."
tree=$(cargo tree -p jwt-accord -e normal --prefix none --locked)
banned='^(rsa|p256|p384|p521|ecdsa|ed25519-dalek|ed25519|ring|openssl|openssl-sys|aws-lc-rs|aws-lc-sys) '
if bad=$(printf '%s\n' "$tree" | grep -E "$banned"); then
  echo "banned crates in the core's dependency tree:" >&2
  printf '%s\n' "$bad" | sort -u >&2
  exit 1
fi
echo "dependency check: $(printf '%s\n' "$tree" | sort -u | wc -l) crates in the core's tree, none banned"
