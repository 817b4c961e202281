# Math-Verify as an oracle for the differential test and the bench: one process, many cases.
# Reads JSONL cases on stdin (gold, pred, optional match / precision / strict /
# allowSetRelationComp, the option names of @autotraj/evaluator) and writes one JSON line per
# case: {"equivalent": bool} or {"equivalent": false, "error": "..."}.
# Each case is checked the way Math-Verify's own test suite checks its cases (compare_strings
# in its tests/test_all.py): latex -> LatexExtractionConfig(boxed_match_priority=0),
# expr -> ExprExtractionConfig(), parse both sides, verify(gold, pred, float_rounding=...).
# Options missing from a case take @autotraj/evaluator's defaults (both targets, precision 6,
# strict true, allowSetRelationComp false: Math-Verify's own defaults), so both sides run the same
# configuration.
# With --warmup K the first K cases warm the process up untimed, the rest are timed in one
# loop and the throughput is printed as one JSON line on stderr (the bench's Python timing).
import json
import logging
import sys
import time

logging.disable(logging.CRITICAL)

from math_verify import ExprExtractionConfig, LatexExtractionConfig, parse, verify  # noqa: E402

# Math-Verify's limits are wall-clock (signal.alarm) and its verdict on a timeout is False: on a
# loaded machine its default 5 s would flip verdicts from run to run. The oracle wants the
# verdict, not the limit.
TIMEOUT = 120

_TARGETS = {}


def targets(match):
    key = tuple(match)
    if key not in _TARGETS:
        out = []
        for name in match:
            if name == 'latex':
                out.append(LatexExtractionConfig(boxed_match_priority=0))
            elif name == 'expr':
                out.append(ExprExtractionConfig())
            else:
                raise ValueError('unknown match target %r' % (name,))
        _TARGETS[key] = out
    return _TARGETS[key]


# Corpus pairs share their gold: parse each distinct gold once (parse is a pure function of
# the text and the targets, and verify does not change what it is given).
_GOLD = {}


def parse_gold(text, match, config):
    key = (text, tuple(match))
    if key not in _GOLD:
        _GOLD[key] = parse(text, config, parsing_timeout=TIMEOUT)
    return _GOLD[key]


def check(case):
    match = case.get('match') or ['latex', 'expr']
    config = targets(match)
    golds = case['gold'] if isinstance(case['gold'], list) else [case['gold']]
    pred = parse(case['pred'], config, parsing_timeout=TIMEOUT)
    gold = [item for g in golds for item in parse_gold(g, match, config)]
    return bool(
        verify(
            gold,
            pred,
            float_rounding=case.get('precision', 6),
            strict=case.get('strict', True),
            allow_set_relation_comp=case.get('allowSetRelationComp', False),
            timeout_seconds=TIMEOUT,
        )
    )


def run(case):
    try:
        return {'equivalent': check(case)}
    except Exception as error:  # a broken case must not stop the batch
        return {'equivalent': False, 'error': '%s: %s' % (type(error).__name__, error)}


def main():
    warmup = 0
    if len(sys.argv) == 3 and sys.argv[1] == '--warmup':
        warmup = int(sys.argv[2])
    cases = [json.loads(line) for line in sys.stdin if line.strip()]
    results = [run(case) for case in cases[:warmup]]
    # Timed: the cases after the warm-up, with no parse cached from them beforehand.
    _GOLD.clear()
    started = time.perf_counter()
    results += [run(case) for case in cases[warmup:]]
    seconds = time.perf_counter() - started
    out = sys.stdout
    for result in results:
        out.write(json.dumps(result))
        out.write('\n')
    out.flush()
    if warmup > 0:
        timed = len(cases) - warmup
        sys.stderr.write(
            json.dumps({'cases': timed, 'seconds': seconds, 'perSecond': timed / seconds if seconds > 0 else None})
            + '\n'
        )


if __name__ == '__main__':
    main()
