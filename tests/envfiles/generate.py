#!/usr/bin/env python3
"""Regenerates the loader-derived expectations of tests/envfiles/cases.json.

For every case, the text is written to a file and read by the real loaders:
python-dotenv (PyPI, pinned in py/requirements-dev.txt) in this process, and
Node's dotenv (npm, pinned in js/package.json) through node_dotenv.mjs. The
results become each case's "python-dotenv" and "node-dotenv" expectations,
and "default" is the agreement of python-dotenv, Node's dotenv and the
hand-written "docker" expectation, refused also when an agreed value holds `$`
(compose and shells expand `$NAME`; docs/spec.md §18). A case with "strict": LINE
(or {"python-dotenv": LINE}) is one jwt-accord refuses although the loader
reads it (characters the loaders' whitespace patterns disagree on, or what
earlier python-dotenv 1.x versions read differently); the loader's reading is
kept under "loaders_read". The docker, compose, systemd and env expectations are written by
hand and left alone.

python-dotenv is run twice, once with every `${NAME}` the text mentions unset
and once with each set to a sentinel: when the results differ the value comes
from the host's environment, and the expectation is a refusal.

    tests/envfiles/generate.py          rewrite cases.json
    tests/envfiles/generate.py --check  exit 1 if cases.json is stale
"""

import json
import logging
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases.json"
ORDER = [
    "python-dotenv",
    "node-dotenv",
    "docker",
    "compose",
    "systemd",
    "env",
    "default",
]


def python_dotenv(texts: dict[str, str]) -> dict[str, dict]:
    try:
        import dotenv
    except ImportError:
        sys.exit("generate.py: python-dotenv is missing (pip install -r py/requirements-dev.txt)")
    logging.getLogger("dotenv.main").setLevel(logging.ERROR)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in texts.items():
            path = Path(tmp) / f"{name}.env"
            path.write_bytes(text.encode("utf-8"))
            referenced = {
                n for n in re.findall(r"\$\{([^}:]*)", text) if n and "=" not in n and "\0" not in n
            }
            saved = dict(os.environ)
            try:
                for n in referenced:
                    os.environ.pop(n, None)
                clean = dotenv.dotenv_values(path)
                for n in referenced:
                    os.environ[n] = "\x01from-the-host\x01"
                hosted = dotenv.dotenv_values(path)
            finally:
                os.environ.clear()
                os.environ.update(saved)
            if clean != hosted:
                results[name] = {"refused": True}
            else:
                # load_dotenv sets only names with a value.
                results[name] = {"pairs": {k: v for k, v in clean.items() if v is not None}}
    return results


def node_dotenv(cases: list[dict]) -> dict[str, dict]:
    payload = json.dumps([{"name": c["name"], "text": c["text"]} for c in cases])
    done = subprocess.run(
        ["node", str(HERE / "node_dotenv.mjs")],
        input=payload,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"generate.py: node_dotenv.mjs failed (run scripts/setup.sh npm?):\n{done.stderr}")
    results = json.loads(done.stdout)["results"]
    return {name: {"pairs": pairs} for name, pairs in results.items()}


def agreement(*expectations: dict) -> dict:
    if any("pairs" not in e for e in expectations):
        return {"refused": True}
    first = expectations[0]["pairs"]
    if all(e["pairs"] == first for e in expectations[1:]) and not any(
        "$" in v for v in first.values()
    ):
        return {"pairs": first}
    return {"refused": True}


def regenerate(document: dict) -> dict:
    cases = document["cases"]
    py = python_dotenv({c["name"]: c["text"] for c in cases})
    node = node_dotenv(cases)
    for c in cases:
        expect = dict(c["expect"])
        expect["python-dotenv"] = py[c["name"]]
        expect["node-dotenv"] = node[c["name"]]
        strict = c.get("strict")
        if strict is not None:
            # jwt-accord refuses what these loaders read (see the comment):
            # their reading stays on record. An int: both loaders.
            if not isinstance(strict, dict):
                strict = {"python-dotenv": strict, "node-dotenv": strict}
            for loader, line in strict.items():
                expect[loader] = {"refused": line, "loaders_read": expect[loader]}
        expect["default"] = agreement(
            expect["python-dotenv"], expect["node-dotenv"], expect["docker"]
        )
        c["expect"] = {k: expect[k] for k in ORDER if k in expect}
    return document


def render(document: dict) -> str:
    return json.dumps(document, indent=1, ensure_ascii=True) + "\n"


def main() -> int:
    check = "--check" in sys.argv[1:]
    current = CASES.read_text(encoding="utf-8")
    fresh = render(regenerate(json.loads(current)))
    if check:
        if fresh != current:
            print(
                "tests/envfiles/cases.json is stale: run tests/envfiles/generate.py",
                file=sys.stderr,
            )
            return 1
        print("tests/envfiles/cases.json matches python-dotenv and Node's dotenv")
        return 0
    CASES.write_text(fresh, encoding="utf-8")
    print(f"wrote {CASES.relative_to(HERE.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
