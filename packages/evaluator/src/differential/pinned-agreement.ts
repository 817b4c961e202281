/** Our verdicts against Math-Verify's on a corpus, checked against a pinned disagreement list. */
import type { CorpusPair } from './corpus.js';
import type { Disagreement } from './disagreements.js';
import type { OracleVerdict } from './oracle.js';

export interface PinnedAgreement {
  /** Pairs where the verdicts differ. */
  disagreements: number;
  /** Disagreements not on the list (or listed with other verdicts), as JSON lines to review. */
  unexpected: string[];
  /** Listed ids that no longer disagree. */
  gone: string[];
}

export function checkPinnedAgreement(
  corpus: ReadonlyArray<CorpusPair>,
  ours: ReadonlyArray<boolean>,
  verdicts: ReadonlyArray<OracleVerdict>,
  pinned: ReadonlyArray<Disagreement>,
): PinnedAgreement {
  const byId = new Map(pinned.map((entry) => [entry.id, entry]));
  const unexpected: string[] = [];
  const found = new Set<string>();
  corpus.forEach((pair, index) => {
    const mathVerify = verdicts[index]!.equivalent;
    if (ours[index] === mathVerify) return;
    found.add(pair.id);
    const entry = byId.get(pair.id);
    if (entry === undefined || entry.mathVerify !== mathVerify || entry.ours !== ours[index])
      unexpected.push(
        JSON.stringify({
          id: pair.id,
          mathVerify,
          ours: ours[index],
          kind: 'open',
          reason: '?',
          gold: pair.gold,
          pred: pair.pred,
        }),
      );
  });
  const gone = pinned.filter((entry) => !found.has(entry.id)).map((entry) => entry.id);
  return { disagreements: found.size, unexpected, gone };
}
