"""jwt_accord beside PyJWT, in one process, on the same claims, secret and checks.

Prints ns/op for signing and verifying with each library and the ratios, then
resident memory before and after 1,000,000 verifications. Targets (issue 21,
raising issue 3's 15x and 10x): ``Verifier.verify`` >= 30x faster than
``jwt.decode``, ``Signer.sign`` >= 20x faster than ``jwt.encode``; resident
memory growth < 5 MB (issue 3).
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import hmac
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from typing import Any

import jwt

import jwt_accord

SECRET = "bench-secret-9c4e1a7f3b8d2e6a0c5f1b9d4e7a"
CLAIMS = {"sub": "user-1234", "scope": "read write", "role": "admin"}
ISSUER, AUDIENCE, LIFETIME = "auth", "api", 900


def timed(action: Callable[[], Any], number: int) -> float:
    """One run of ``number`` calls, in ns per call."""
    start = time.perf_counter_ns()
    for _ in range(number):
        action()
    return (time.perf_counter_ns() - start) / number


def best_of(rows: dict[str, tuple[Callable[[], Any], int]], repeat: int) -> dict[str, float]:
    """ns/op per row: the best of ``repeat`` rounds.

    The rows take turns within each round, so that a change in machine load
    hits every row alike.
    """
    best = dict.fromkeys(rows, float("inf"))
    for _ in range(repeat):
        for name, (action, number) in rows.items():
            best[name] = min(best[name], timed(action, number))
    return best


def rss_bytes() -> int:
    """Current resident set size (Linux /proc; peak RSS elsewhere)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        import resource

        scale = 1 if sys.platform == "darwin" else 1024
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


def main() -> int:
    """Runs the benchmark and prints the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer iterations, 100,000 for RSS")
    args = parser.parse_args()
    number, repeat = (2_000, 3) if args.quick else (20_000, 15)
    rss_runs = 100_000 if args.quick else 1_000_000

    now = int(time.time())
    payload = {
        **CLAIMS,
        "iss": ISSUER,
        "aud": AUDIENCE,
        "exp": now + LIFETIME,
        "iat": now,
    }
    signer = jwt_accord.Signer(SECRET, issuer=ISSUER, audience=AUDIENCE, expires_in=LIFETIME)
    verifier = jwt_accord.Verifier(SECRET, issuer=ISSUER, audience=AUDIENCE)
    ours = signer.sign(CLAIMS)
    theirs = jwt.encode(payload, SECRET, algorithm="HS256")

    def pyjwt_decode(token: str) -> dict[str, Any]:
        decoded: dict[str, Any] = jwt.decode(
            token,
            SECRET,
            algorithms=["HS256"],
            issuer=ISSUER,
            audience=AUDIENCE,
            options={"require": ["exp"]},
        )
        return decoded

    # Same checks, same answers, before timing anything.
    assert verifier.verify(ours) == pyjwt_decode(ours)
    assert verifier.verify(theirs) == pyjwt_decode(theirs) == payload

    claims_text = json.dumps(payload, separators=(",", ":"))
    key, message = SECRET.encode(), ours.rsplit(".", 1)[0].encode()
    # PyJWT is ~20x slower: fewer calls per run keep the rounds short.
    slow = max(number // 10, 100)
    rows = best_of(
        {
            "jwt.encode": (lambda: jwt.encode(payload, SECRET, algorithm="HS256"), slow),
            "Signer.sign": (lambda: signer.sign(CLAIMS), number),
            "jwt_accord.sign (one-shot)": (
                lambda: jwt_accord.sign(
                    CLAIMS, SECRET, issuer=ISSUER, audience=AUDIENCE, expires_in=LIFETIME
                ),
                number,
            ),
            "jwt.decode": (lambda: pyjwt_decode(theirs), slow),
            "Verifier.verify": (lambda: verifier.verify(ours), number),
            "Verifier.verify (PyJWT token)": (lambda: verifier.verify(theirs), number),
            "jwt_accord.verify (one-shot)": (
                lambda: jwt_accord.verify(ours, SECRET, issuer=ISSUER, audience=AUDIENCE),
                number,
            ),
            # For scale: a json.loads of the claims alone (the other route to
            # the claims dict), and the stdlib HMAC alone.
            "(json.loads of the claims)": (lambda: json.loads(claims_text), number),
            "(stdlib hmac.digest alone)": (
                lambda: hmac.digest(key, message, hashlib.sha256),
                number,
            ),
        },
        repeat,
    )

    print(f"jwt_accord {jwt_accord.__version__} beside PyJWT {jwt.__version__}")
    print(f"Python {platform.python_version()} on {platform.machine()}, {number} x {repeat} runs")
    print()
    print(f"{'':34} {'ns/op':>10}")
    for name, value in rows.items():
        print(f"{name:34} {value:>10,.0f}")
    sign_ratio = rows["jwt.encode"] / rows["Signer.sign"]
    verify_ratio = rows["jwt.decode"] / rows["Verifier.verify"]
    print()
    print(f"Signer.sign     is {sign_ratio:5.1f}x faster than jwt.encode (target >= 20x)")
    print(f"Verifier.verify is {verify_ratio:5.1f}x faster than jwt.decode (target >= 30x)")

    gc.collect()
    for _ in range(10_000):
        verifier.verify(ours)
    gc.collect()
    before = rss_bytes()
    started = time.perf_counter()
    for _ in range(rss_runs):
        verifier.verify(ours)
    elapsed = time.perf_counter() - started
    gc.collect()
    after = rss_bytes()
    growth = (after - before) / 1e6
    print()
    print(
        f"RSS before {rss_runs:,} verifications: {before / 1e6:.1f} MB, after: {after / 1e6:.1f} MB"
        f" (growth {growth:+.2f} MB, target < 5 MB; {elapsed:.1f} s)"
    )
    met = sign_ratio >= 20 and verify_ratio >= 30 and growth < 5
    print("all targets met" if met else "TARGET MISSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
