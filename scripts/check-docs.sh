#!/usr/bin/env bash
# Checks that the repository carries its own contract (issue 13, item 2):
#  1. no tracked file points outside the repository (`../shared`, `shared/SPEC`,
#     `SPEC.md`) or cites the contract by a bare number (`SPEC 8.2`,
#     `SPEC section 8.2`): citations name docs/spec.md (`docs/spec.md §8.2`);
#  2. every link to an anchor of docs/spec.md or docs/decisions.md
#     (`spec.md#82-verifying`, `decisions.md#signing`, and `#...` links inside
#     those two pages) names a heading that exists, by GitHub's anchor rules,
#     and every relative Markdown link to them resolves to the file.
# Prints one summary line; exits 1 listing file:line for each problem.
# Lines under a docs/decisions.md heading that contains "histor" (historical
# notes) are exempt from check 1.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

self=scripts/check-docs.sh
problems=()

# Tracked text files, without lock files and this script (which names the
# patterns it looks for).
files=()
while IFS= read -r -d '' f; do
  case "$f" in
    */Cargo.lock | Cargo.lock | */package-lock.json | package-lock.json | "$self") ;;
    *) [[ -f "$f" ]] && files+=("$f") ;;
  esac
done < <(git ls-files -z)

# --- 1. nothing points outside the repository --------------------------------
outside='\.\./shared|shared/SPEC|SPEC\.md|\bSPEC( section)? ?[0-9]'
while IFS= read -r hit; do
  file=${hit%%:*}
  rest=${hit#*:}
  line=${rest%%:*}
  if [[ "$file" == docs/decisions.md ]] &&
    awk -v n="$line" 'NR <= n && /^#+ / { h = tolower($0) } NR == n { exit !(h ~ /histor/) }' "$file"; then
    continue
  fi
  problems+=("$file:$line: points outside the repository or cites a bare SPEC number: ${rest#*:}")
done < <(grep -I -n -H -E "$outside" -- "${files[@]}" || true)

# --- 2. anchors ----------------------------------------------------------------
# GitHub's rule: lowercase, drop everything but letters, digits, spaces, `-`
# and `_`, spaces become `-`; a repeated anchor gets -1, -2, ...
anchors_of() {
  awk '
    /^(```|~~~)/ { fence = !fence; next }
    fence { next }
    /^#+ / {
      h = $0
      sub(/^#+ +/, "", h)
      sub(/ +#* *$/, "", h)
      a = tolower(h)
      gsub(/[^a-z0-9 _-]/, "", a)
      gsub(/ /, "-", a)
      if (a in seen) { seen[a]++; a = a "-" seen[a] } else { seen[a] = 0 }
      print a
    }' "$1"
}
declare -A known
for page in docs/spec.md docs/decisions.md; do
  [[ -f "$page" ]] || { problems+=("$page: missing"); continue; }
  while IFS= read -r a; do known["$page#$a"]=1; done < <(anchors_of "$page")
done

citations=0
links=0
for f in "${files[@]}"; do
  dir=$(dirname "$f")
  # Citations: a link to spec.md#anchor, or `docs/spec.md §N` that is not
  # the text of such a link.
  n=$(grep -I -o -E 'spec\.md#|docs/spec\.md §[0-9][0-9.]*[]]?' -- "$f" | grep -c -v ']$' || true)
  citations=$((citations + n))
  # Links to an anchor. In Markdown: [text](path#anchor) whose path names
  # spec.md or decisions.md (resolved from the file's folder), and (#anchor)
  # inside those two pages. Elsewhere: a bare docs/spec.md#anchor.
  if [[ "$f" == *.md ]]; then
    pattern='\]\(([A-Za-z0-9_./-]*(spec|decisions)\.md)?#[A-Za-z0-9_-]+\)'
  else
    pattern='docs/(spec|decisions)\.md#[A-Za-z0-9_-]+'
  fi
  while IFS=: read -r line target; do
    target=${target#](}
    target=${target%)}
    path=${target%%#*}
    anchor=${target#*#}
    if [[ -z "$path" ]]; then
      case "$f" in docs/spec.md | docs/decisions.md) page=$f ;; *) continue ;; esac
    elif [[ "$f" == *.md ]]; then
      page=$(realpath -m --relative-to=. "$dir/$path")
    else
      page=$path
    fi
    case "$page" in
      docs/spec.md | docs/decisions.md) ;;
      *)
        problems+=("$f:$line: link to $target does not resolve to docs/spec.md or docs/decisions.md")
        continue
        ;;
    esac
    links=$((links + 1))
    [[ -n "${known["$page#$anchor"]:-}" ]] ||
      problems+=("$f:$line: no heading in $page has the anchor #$anchor")
  done < <(grep -I -n -o -E "$pattern" -- "$f" || true)
done

if ((${#problems[@]})); then
  printf '%s\n' "${problems[@]}" >&2
  echo "docs check: ${#problems[@]} problem(s)" >&2
  exit 1
fi
echo "docs check: $citations citations of docs/spec.md, $links anchor links, all anchors exist, nothing points outside the repository"
