/**
 * The paper's answer checks read one span of a text (its prediction) and compare it with golds
 * prepared once per group; the candidates of a group mostly give the same answer, so a group's
 * checker keeps its last verdicts by that span instead of comparing it again.
 */

/** How many verdicts a checker keeps: a group's distinct answers, with room to spare. */
const REMEMBERED_VERDICTS = 64;
/**
 * Longer keys are judged afresh: hashing one costs about what judging it does, and they seldom
 * repeat (a text without a box or a brace is its own key).
 */
const LONGEST_KEY = 64;

/** `judge` with its last verdicts kept by input (a pure function of that string). */
export function rememberVerdicts(judge: (key: string) => boolean): (key: string) => boolean {
  const seen = new Map<string, boolean>();
  return (key) => {
    if (key.length > LONGEST_KEY) return judge(key);
    let verdict = seen.get(key);
    if (verdict === undefined) {
      verdict = judge(key);
      if (seen.size === REMEMBERED_VERDICTS) seen.clear();
      seen.set(key, verdict);
    }
    return verdict;
  };
}
