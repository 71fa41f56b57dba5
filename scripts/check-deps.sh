#!/usr/bin/env bash
# Dependency checks (run by the rust stage of `make test`):
#  1. the core's normal dependency tree holds no asymmetric-crypto crate, no
#     openssl and no ring: HS256 needs only hmac + sha2;
#  2. every crate in the workspace's dependency graph (all members, all
#     dependency kinds, all platforms) and every package in js/package-lock.json
#     has a license expression satisfiable with permissive licenses;
#  3. the lock files are committed.
set -euo pipefail
cd "$(dirname "$0")/.."

# 1. banned crates
tree=$(cargo tree -p jwt-accord -e normal --prefix none --locked)
banned='^(rsa|p256|p384|p521|ecdsa|ed25519-dalek|ed25519|ring|openssl|openssl-sys|aws-lc-rs|aws-lc-sys) '
if bad=$(printf '%s\n' "$tree" | grep -E "$banned"); then
  echo "banned crates in the core's dependency tree:" >&2
  printf '%s\n' "$bad" | sort -u >&2
  exit 1
fi
echo "dependency check: $(printf '%s\n' "$tree" | sort -u | wc -l) crates in the core's tree, none banned"

# 2. licenses
metadata=$(mktemp)
trap 'rm -f "$metadata"' EXIT
cargo metadata --format-version 1 --locked >"$metadata"
python3 - "$metadata" js/package-lock.json <<'PY'
import json
import re
import sys

# Permissive licenses: any one of them satisfies an OR, all operands of an AND
# must be in the set.
ALLOWED = {
    "MIT", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "ISC", "Zlib",
    "Unicode-3.0", "Unicode-DFS-2016", "CC0-1.0", "0BSD", "BSL-1.0",
    # Python Software Foundation License 2.0: permissive (BSD-style notice only),
    # OSI-approved; npm's argparse (a dev tool's dependency) uses it.
    "PSF-2.0",
    # Community Data License Agreement, Permissive 2.0: a permissive data
    # license (attribution only); webpki-roots ships Mozilla's CA list under it
    # (the CLI's https client, ureq with rustls).
    "CDLA-Permissive-2.0",
    # MPL-2.0 is weak copyleft per file: using an unmodified crate is fine, but it
    # obliges us to publish changes to its files. Allowed only in an OR with a
    # permissive choice, except for the build tools below.
}
# npm development tools we run unmodified and never ship (`"dev": true` in the
# lock): MPL-2.0 is fine there. Vite's CSS engine, lightningcss, is MPL-2.0
# (the edge stage builds a page with Vite; nothing of it enters a package).
ALLOWED_FOR_DEV_TOOLS = ALLOWED | {"MPL-2.0"}
# Exceptions that only widen a license's permissions.
ALLOWED_EXCEPTIONS = {"LLVM-exception"}


def tokens(expr):
    # Legacy crates.io forms: "MIT/Apache-2.0" means MIT OR Apache-2.0.
    expr = expr.replace("/", " OR ")
    return re.findall(r"\(|\)|[A-Za-z0-9.+-]+", expr)


def satisfiable(expr, allowed=ALLOWED):
    toks = tokens(expr)
    pos = 0

    def peek():
        return toks[pos] if pos < len(toks) else None

    def take():
        nonlocal pos
        pos += 1
        return toks[pos - 1]

    def primary():
        tok = take()
        if tok == "(":
            ok = disjunction()
            if take() != ")":
                raise ValueError("unbalanced parentheses")
        else:
            ok = tok.removesuffix("+") in allowed
        if peek() == "WITH":
            take()
            ok = ok and take() in ALLOWED_EXCEPTIONS
        return ok

    def conjunction():
        ok = primary()
        while peek() == "AND":
            take()
            ok = primary() and ok
        return ok

    def disjunction():
        ok = conjunction()
        while peek() == "OR":
            take()
            ok = conjunction() or ok
        return ok

    ok = disjunction()
    if pos != len(toks):
        raise ValueError(f"unexpected {toks[pos]!r}")
    return ok


def check(kind, items):
    bad, count = [], 0
    for name, expr, allowed in items:
        count += 1
        try:
            ok = bool(expr) and satisfiable(expr, allowed)
        except (ValueError, IndexError) as err:
            ok, expr = False, f"{expr} ({err})"
        if not ok:
            bad.append(f"  {name}: {expr or 'no license expression'}")
    return count, bad


meta = json.load(open(sys.argv[1]))
workspace = set(meta["workspace_members"])
crates = [
    (f"{p['name']} {p['version']}", p.get("license"), ALLOWED)
    for p in meta["packages"]
    if p["id"] not in workspace
]
lock = json.load(open(sys.argv[2]))
npm = [
    (
        path.removeprefix("node_modules/") + " " + entry.get("version", "?"),
        entry.get("license"),
        ALLOWED_FOR_DEV_TOOLS if entry.get("dev") else ALLOWED,
    )
    for path, entry in lock["packages"].items()
    if path and not entry.get("link")  # links are our own workspace packages
]
n_crates, bad_crates = check("crate", crates)
n_npm, bad_npm = check("npm", npm)
for label, bad in (("crates", bad_crates), ("npm packages", bad_npm)):
    if bad:
        print(f"{label} whose license is not permissive (or not declared):", file=sys.stderr)
        print("\n".join(bad), file=sys.stderr)
if bad_crates or bad_npm:
    sys.exit(1)
print(f"license check: {n_crates} crates (whole workspace graph) and {n_npm} npm packages, all permissive")
PY

# 3. lock files committed
for lock in Cargo.lock js/package-lock.json fuzz/Cargo.lock; do
  if [ -z "$(git ls-files -- "$lock")" ]; then
    echo "$lock is not committed" >&2
    exit 1
  fi
done
echo "lock files committed: Cargo.lock, js/package-lock.json, fuzz/Cargo.lock"

# 4. every Cargo.lock in the tree matches its manifest: a separate workspace
# (fuzz/, examples/e2e/profile-service/) that depends on the core by path
# needs its lock updated when the core gains a dependency, or its own stage
# fails later under --locked (as e2e did once, after the core's new crates).
stale=0
while IFS= read -r lock; do
  dir=$(dirname "$lock")
  if ! cargo metadata --locked --format-version 1 --manifest-path "$dir/Cargo.toml" >/dev/null 2>&1; then
    echo "$lock does not match $dir/Cargo.toml: run cargo metadata --manifest-path $dir/Cargo.toml and commit it" >&2
    stale=1
  fi
done < <(git ls-files -- '*Cargo.lock')
[ "$stale" = 0 ] || exit 1
echo "every Cargo.lock matches its manifest: $(git ls-files -- '*Cargo.lock' | tr '\n' ' ')"
