"""Differential-test driver: reads JSON lines {"fn": name, "args": [...]} on stdin, calls that
function of ../shared/reference/paper_ref.py and writes one JSON line {"ok": result} or
{"error": "..."} per request, in order. One process serves a whole test file."""
import builtins
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.environ.get("PAPER_REF_DIR") or os.path.join(HERE, *[".."] * 5, "shared", "reference"))
import paper_ref  # noqa: E402


def main() -> None:
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            fn = getattr(paper_ref, request["fn"], None) or getattr(builtins, request["fn"])  # round, ...
            result = {"ok": fn(*request["args"])}
        except Exception as error:  # noqa: BLE001 - reported to the test as data
            result = {"error": f"{type(error).__name__}: {error}"}
        out.write(json.dumps(result) + "\n")


main()
