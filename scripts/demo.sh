#!/usr/bin/env bash
# The drift demo (`make demo`): builds the jwt-accord CLI and walks through the
# story of examples/: two staging services that load their JWT secret
# differently, the 401s that follow, how jwt-accord finds and explains the
# drift, and the fixed configuration passing.
#
# Several commands below exit non-zero on purpose (that is what they are for);
# each exit status is printed and compared with the expected one. The demo
# exits 0 when every step behaved as described, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
  B=$'\e[1m' D=$'\e[2m' C=$'\e[36m' G=$'\e[32m' R=$'\e[31m' N=$'\e[0m'
else
  B='' D='' C='' G='' R='' N=''
fi

step_no=0
step() {
  step_no=$((step_no + 1))
  printf '\n%s== %d. %s ==%s\n' "$B" "$step_no" "$1" "$N"
}
say() { printf '%s\n' "$@"; }

TOKEN=
unexpected=()
# run EXPECTED_STATUS ARGS...: shows the command, runs it (stderr with stdout,
# in order), prints its exit status and checks it.
run() {
  local expected=$1 shown=() arg status
  shift
  for arg in "$@"; do
    if [ -n "$TOKEN" ] && [ "$arg" = "$TOKEN" ]; then shown+=('"$TOKEN"'); else shown+=("$arg"); fi
  done
  printf '\n%s$ jwt-accord %s%s\n' "$C" "${shown[*]}" "$N"
  set +e
  "$BIN" "$@" 2>&1
  status=$?
  set -e
  if [ "$status" -eq "$expected" ]; then
    printf '%s[exit %d]%s\n' "$D" "$status" "$N"
  else
    printf '%s[exit %d, expected %d]%s\n' "$R" "$status" "$expected" "$N"
    unexpected+=("jwt-accord ${shown[*]}: exit $status, expected $expected")
  fi
}

# fingerprint ENV_FILE: the resolved secret's fingerprint, from the report JSON
# (the first "fingerprint" key is the top-level one).
fingerprint() {
  "$BIN" resolve --env-file "$1" --json | grep -o '"fingerprint":"[0-9a-f]*"' | sed -n 1p | cut -d'"' -f4
}

say "${B}jwt-accord demo: find JWT secret drift before it becomes a 401${N}"
# JWT_ACCORD_CLI: a jwt-accord binary already built (the cli test stage passes
# its dev build); otherwise the demo builds the release CLI itself.
if [ -n "${JWT_ACCORD_CLI:-}" ]; then
  BIN=$JWT_ACCORD_CLI
else
  say "Building the CLI (cargo build --release -p jwt-accord-cli; a minute or two the first time)..."
  cargo build --release --locked --quiet -p jwt-accord-cli
  target_dir=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
  BIN=${target_dir:-target}/release/jwt-accord
fi
[ -x "$BIN" ] || { echo "demo: $BIN was not built" >&2; exit 1; }

say "" \
  "The setting: in staging, the auth service signs JWTs and the backend API verifies" \
  "them with a shared HMAC secret. Each loads that secret its own way, and every token" \
  "auth issues is rejected by the backend with 401. The services' env files are in" \
  "examples/drift/. jwt-accord resolves the secret in one canonical order for every" \
  "language, and never prints a secret: only its fingerprint, the first 16 hex digits" \
  "of its SHA-256 (printf '%s' \"\$SECRET\" | sha256sum | cut -c1-16)."

step "Which secret does each service resolve?"
say "The auth service's file sets only JWT_SECRET_KEY:"
run 0 resolve --env-file examples/drift/auth.env
say "" "The backend sets JWT_SECRET_STAGING, which comes first in the order, and still" \
  "carries an older, different JWT_SECRET_KEY. jwt-accord warns about that (shadowed_conflict):"
run 0 resolve --env-file examples/drift/backend.env

step "Before a deploy: check compares the services"
say "Each argument is SERVICE[:ROLE]=FILE. Exit status 0 means consistent, 1 drift."
run 1 check auth:issuer=examples/drift/auth.env backend:verifier=examples/drift/backend.env
say "" "The finding names both services, the variable each one reads, and the fingerprints."

step "The symptom: auth's token is rejected by the backend"
say "Sign a token as the auth service would (the header's kid is its secret's fingerprint):"
printf '\n%s$ TOKEN=$(jwt-accord sign --env-file examples/drift/auth.env --subject user-42 --expires-in 900)%s\n' "$C" "$N"
TOKEN=$("$BIN" sign --env-file examples/drift/auth.env --subject user-42 --expires-in 900)
say "TOKEN=${TOKEN:0:48}..."
say "" "Verify it with the backend's configuration. Instead of an opaque 401, the error code" \
  "unknown_key and a message naming both fingerprints:"
run 1 verify "$TOKEN" --env-file examples/drift/backend.env
fp_auth=$(fingerprint examples/drift/auth.env)
fp_backend=$(fingerprint examples/drift/backend.env)
say "" "$fp_auth is the secret the auth service resolved in step 1, $fp_backend the" \
  "backend's: the same diagnosis as check, from a single rejected token."

step "Whose secret signed this token?"
say "inspect decodes the token, shows its expiry in plain words, and checks the signature" \
  "against each service's secret:"
run 0 inspect "$TOKEN" auth=examples/drift/auth.env backend=examples/drift/backend.env

step "The test helper's hard-coded fallback is refused"
say "The end-to-end helper fell back to JWT_SECRET=fallback_secret when it found no secret," \
  "so its WebSocket connections got 403. jwt-accord has no hidden fallbacks: outside" \
  "development and test, a short or well-known secret is an error at start-up:"
run 1 resolve --env-file examples/drift/e2e-helper.env

step "The fix: every service reads the same JWT_SECRET_STAGING"
say "examples/fixed/ holds the corrected files (values elided here):"
for f in examples/fixed/*.env; do
  printf '  %-30s %s\n' "$f" "$(grep -v '^#' "$f" | sed 's/=.*/=.../' | tr '\n' ' ')"
done
run 0 check auth:issuer=examples/fixed/auth.env backend:verifier=examples/fixed/backend.env \
  e2e-helper:issuer=examples/fixed/e2e-helper.env

say "" "A token signed by the fixed auth service now verifies at the fixed backend:"
printf '\n%s$ TOKEN=$(jwt-accord sign --env-file examples/fixed/auth.env --subject user-42 --expires-in 900)%s\n' "$C" "$N"
TOKEN=$("$BIN" sign --env-file examples/fixed/auth.env --subject user-42 --expires-in 900)
run 0 verify "$TOKEN" --env-file examples/fixed/backend.env

printf '\n%s== Done ==%s\n' "$B" "$N"
if [ ${#unexpected[@]} -gt 0 ]; then
  printf '%sThese steps did not behave as described:%s\n' "$R" "$N"
  printf '  %s\n' "${unexpected[@]}"
  exit 1
fi
say "${G}Every step behaved as described.${N}" \
  "Try it on your own services: jwt-accord check auth=path/to/auth.env backend=path/to/backend.env" \
  "(docs/cli.md has every command; add --json for scripts)."
