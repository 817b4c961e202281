"""Times paper_ref.paper_pipeline (../shared/reference/paper_ref.py, the paper's rules in
CPython) for paper-preset.bench.mjs, one pass over every group per request, so the bench can
alternate our passes with Python's under the same machine load.

argv[1]: a JSONL file of groups {"gold": ..., "texts": [...]}. Writes one JSON line with the
pipeline's result for every group (the bench checks ours against it), then, for each line read
on stdin, runs one pass and writes [wall seconds, CPU seconds]."""
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.environ.get("PAPER_REF_DIR") or os.path.join(HERE, *[".."] * 4, "shared", "reference"))
import paper_ref  # noqa: E402


def main() -> None:
    with open(sys.argv[1], encoding="utf8") as f:
        groups = [json.loads(line) for line in f if line.strip()]

    def one_pass():
        return [paper_ref.paper_pipeline(g["gold"], g["texts"], "math") for g in groups]

    out = sys.stdout
    out.write(json.dumps(one_pass()) + "\n")
    out.flush()
    for _ in sys.stdin:
        wall, cpu = time.perf_counter(), time.process_time()
        one_pass()
        out.write(json.dumps([time.perf_counter() - wall, time.process_time() - cpu]) + "\n")
        out.flush()


main()
