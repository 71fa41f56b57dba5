#!/usr/bin/env python3
"""Seed corpora for the fuzz targets, from tests/vectors/*.json (idempotent:
each seed is named by its SHA-1, so a rerun adds nothing new).

Usage: python3 fuzz/seeds.py [corpus-dir]   (default: fuzz/corpus)
"""
import hashlib
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
VECTORS = ROOT / "tests" / "vectors"
OUT = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "fuzz" / "corpus"


def cases(name):
    return json.loads((VECTORS / f"{name}.json").read_text())["cases"]


def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    folder = OUT / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def token_seeds(target, file):
    for case in cases(file):
        token = case.get("token") or case.get("result", {}).get("token")
        if isinstance(token, str):
            put(target, b"\x00" + token.encode())  # byte 0 even: the token as is
        build = case.get("build")
        if build:  # byte 0 odd: header \n claims, signed by the target
            put(target, b"\x01" + f"{build['header']}\n{build['claims']}".encode())


token_seeds("verify", "verify")
token_seeds("verify", "decode")
token_seeds("decode_unverified", "decode")
token_seeds("decode_unverified", "verify")
for case in cases("consistency"):
    put("check_consistency", json.dumps(case["reports"]))
for case in cases("sign"):
    # The Arbitrary layout is not stable to write by hand; the claims text at the
    # end of a zero prefix is close enough to start from.
    put("sign", bytes(64) + json.dumps(case["claims"]).encode())
# envfile: every text of the env-file table (tests/envfiles/cases.json).
for case in json.loads((ROOT / "tests" / "envfiles" / "cases.json").read_text())["cases"]:
    put("envfile", case["text"])
# resolve: structured input from Arbitrary; libFuzzer starts from nothing.
(OUT / "resolve").mkdir(parents=True, exist_ok=True)
print(f"seeds in {OUT}: " + ", ".join(
    f"{d.name} {sum(1 for _ in d.iterdir())}" for d in sorted(OUT.iterdir()) if d.is_dir()))
