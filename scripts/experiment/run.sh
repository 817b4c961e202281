#!/usr/bin/env bash
# `./dev experiment sft|rm|grpo`.
#
# sft: the paper's claim in miniature, on this machine's CPU. Resumable: every
# step skips what is complete and the long ones (synthesis, training, evaluation) resume where a
# killed run stopped, so rerun the same command to continue. Run it in the background. To give
# it the cores over other work on Linux, `nice` is not enough where the kernel groups processes
# by session (/proc/sys/kernel/sched_autogroup_enabled = 1): cores are shared between sessions
# first, so nice the other sessions' groups instead (`echo 19 > /proc/<pid>/autogroup`).
#
#   1. synthesize an SFT set from GSM8K train problems with the embedded model (Qwen2.5-Coder-1.5B
#      repairing itself, the demo's settings);
#   2. fine-tune on it, evaluating each model once it is trained:
#      (b) Qwen LoRA on the kept records only (select-by-score, the baseline the paper argues against)
#      (c) Qwen LoRA on kept + repaired (AutoTraj)
#      (d) SmolLM2-135M, full fine-tune on kept + repaired (a 135M student of the 1.5B teacher)
#   3. the evaluations, (a) the base Qwen, (b), (c), SmolLM2 before and (d) after, on the first
#      GSM8K test questions with the same prompt and greedy decoding, and the base Qwen's no-tool
#      chain of thought (cot-boxed) on the same questions; then compare them (paired bootstrap).
#
# Settings (environment): EXP_DIR (autotraj-experiments/sft), EXP_TASKS (the GSM8K train file of
# ../shared/data), EXP_TRAIN_LIMIT (200 problems), EXP_SYNTHESIS (an existing synthesis directory
# to use or extend instead of EXP_DIR/synthesis), EXP_EVAL_LIMIT (200 questions), EXP_MATH_LIMIT
# (0: no MATH-500; 100 adds it), EXP_EPOCHS (1, the Qwen LoRAs), EXP_STUDENT_EPOCHS (3, SmolLM2:
# a 135M model that writes no trajectory in the format starts far from these records, so it gets
# more than one pass; a judgement, not a measurement), EXP_MAX_STEPS (0: the epochs), EXP_MAX_LENGTH (1536 tokens). Step times go to
# EXP_DIR/timings.tsv, the comparison to EXP_DIR/compare.md.
#
# rm (after sft's synthesis): the reward models on the real pairs. Trains the n-gram RM and the
# transformer RM (TRL, MiniLM) on the synthesis pairs; train-rm holds out problems it did not
# train on and reports pairwise accuracy there against the length baseline, and each RM is
# trained again on EXP_RM_SEEDS (10) / EXP_RM_TRL_SEEDS (3) seeds' splits, pooled (MiniLM also
# for EXP_RM_TRL_LONG_EPOCHS (10) epochs). Then
# EXP_RM_GROUPS (25) RL groups of 4 from Qwen on GSM8K train problems after the SFT ones, each
# rollout rewarded under the paper preset (the RM term only adds) and ours, with each RM:
# EXP_DIR/rm-report.md gives the share of rollouts with a non-zero RM term and of groups whose
# advantage order it changes.
#
# grpo (after sft's synthesis): one real RL run through a real trainer. Trains the n-gram reward
# model on the synthesis pairs, serves it with `autotraj serve --tools python` (the paper reward,
# and the sandbox that runs the policy's <code> calls through @autotraj/rl's trl_rollout.py, at
# most EXP_GRPO_TOOL_CALLS (3) a completion; 0: one pass, TRL's default), and runs EXP_GRPO_STEPS
# (30) GRPO steps of TRL on SmolLM2 (the fine-tuned one from sft when it exists) over GSM8K train
# problems after the SFT ones, EXP_GRPO_MAX_LENGTH (320) tokens a completion; the reward per step
# goes to EXP_DIR/grpo/grpo-report.json (`autotraj report EXP_DIR/grpo` draws it), every
# completion with its reward to EXP_DIR/grpo/completions.jsonl.
# The whole script is one block, read before it runs: editing this file during a run of hours
# cannot change what the run does next.
{
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

what="${1:-}"
if [ "$what" != sft ] && [ "$what" != rm ] && [ "$what" != grpo ]; then
  echo "usage: ./dev experiment sft|rm|grpo   (see scripts/experiment/run.sh for the settings)" >&2
  exit 2
fi

exp="${EXP_DIR:-autotraj-experiments/sft}"
tasks="${EXP_TASKS:-../shared/data/gsm8k/train.jsonl}"
synthesis="${EXP_SYNTHESIS:-$exp/synthesis}"
train_limit="${EXP_TRAIN_LIMIT:-200}"
eval_limit="${EXP_EVAL_LIMIT:-200}"
math_limit="${EXP_MATH_LIMIT:-0}"
train_args=(--max-steps "${EXP_MAX_STEPS:-0}" --max-length "${EXP_MAX_LENGTH:-1536}")
qwen_epochs=(--epochs "${EXP_EPOCHS:-1}")
student_epochs=(--epochs "${EXP_STUDENT_EPOCHS:-3}")
# A Qwen LoRA step takes minutes here and its checkpoint ~117 MB (2 kept): save every 2 steps so a
# stopped run loses little (a SmolLM2 full checkpoint is ~1.6 GB: its default, 10, stays).
qwen_save=(--save-steps "${EXP_QWEN_SAVE_STEPS:-2}")
mkdir -p "$exp"

pnpm exec turbo run build --filter=autotraj... --filter=@autotraj/llama-cpp --output-logs=errors-only >&2
for model in qwen2.5-coder-1.5b smollm2; do
  if ! (cd packages/cli && node --input-type=module -e \
    "import { fetchedModelPath } from '@autotraj/llama-cpp'; fetchedModelPath(process.argv[1]);" \
    "$model") 2>/dev/null; then
    scripts/fetch-models.sh "$model" >&2
  fi
done

autotraj() { node packages/cli/dist/bin.js "$@"; }
# step NAME DONE-FILE COMMAND...: run unless DONE-FILE exists; record the wall time.
step() {
  local name="$1" done="$2"
  shift 2
  if [ -e "$done" ]; then
    echo "experiment: $name: done ($done)" >&2
    return
  fi
  echo "experiment: $name: $*" >&2
  local started=$SECONDS
  "$@"
  printf '%s\t%s\t%s\n' "$name" "$((SECONDS - started))" "$(date -u +%FT%TZ)" >>"$exp/timings.tsv"
}


grpo() {
  local pairs="$synthesis/pairs.jsonl" dir="$exp/grpo"
  mkdir -p "$dir"
  step train-rm "$exp/rm/model.onnx" autotraj train-rm --pairs "$pairs" --out "$exp/rm"
  # Prompt rows with the turns the SFT records were generated from (the default template).
  if [ ! -s "$dir/prompts.trl.jsonl" ]; then
    local tasks_file prompts_file
    tasks_file="$(realpath -m "$tasks")"
    prompts_file="$(realpath -m "$dir/prompts.trl.jsonl")"
    (cd packages/cli && node --input-type=module -e "
      import { readTasksJsonl } from '@autotraj/generation';
      import { resolvePrompt, toTrlPromptRow, writeTrlJsonl } from '@autotraj/rl';
      const [tasks, out, skip, take] = process.argv.slice(1);
      const template = resolvePrompt('tags-example', { kind: 'generation', protocol: 'text-tags' });
      const rows = [];
      let i = 0;
      for await (const task of readTasksJsonl(tasks)) {
        if (i++ < Number(skip)) continue;
        rows.push(toTrlPromptRow(task, { prompt: { template, toolNames: ['python'] } }));
        if (rows.length === Number(take)) break;
      }
      writeTrlJsonl(out, rows);
    " "$tasks_file" "$prompts_file" "$train_limit" "${EXP_GRPO_PROMPTS:-64}")
  fi
  local policy
  policy="$(cd packages/cli && node --input-type=module -e \
    "import { fetchedModelPath } from '@autotraj/llama-cpp'; console.log(fetchedModelPath('smollm2'));")"
  [ ! -d "$exp/smollm2-full-autotraj/hf" ] || policy="$exp/smollm2-full-autotraj/hf"
  # The reward server on a free port; its first stdout line names the URL.
  autotraj serve --rm "$exp/rm/model.onnx" --tools python --tool-workers 1 --port 0 >"$dir/serve.log" 2>&1 &
  grpo_server=$!
  trap 'kill "$grpo_server" 2>/dev/null || true' EXIT
  local url=""
  for _ in $(seq 1 100); do
    url="$(grep -o 'http://[0-9.:]*' "$dir/serve.log" | head -n 1 || true)"
    [ -z "$url" ] || break
    sleep 0.2
  done
  [ -n "$url" ] || { echo "experiment: autotraj serve did not start:" >&2; cat "$dir/serve.log" >&2; exit 1; }
  step grpo "$dir/grpo-report.json" env AUTOTRAJ_REWARD_URL="$url" HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 \
    HF_DATASETS_OFFLINE=1 CUDA_VISIBLE_DEVICES= OMP_NUM_THREADS=2 WANDB_DISABLED=true PYTHONDONTWRITEBYTECODE=1 \
    "$AUTOTRAJ_PYTHON" scripts/experiment/grpo.py --prompts "$dir/prompts.trl.jsonl" --policy "$policy" \
    --out "$dir" --steps "${EXP_GRPO_STEPS:-30}" --max-tool-calls "${EXP_GRPO_TOOL_CALLS:-3}" \
    --max-completion-length "${EXP_GRPO_MAX_LENGTH:-320}"
  kill "$grpo_server" 2>/dev/null || true
}

reward_models() {
  local pairs="$synthesis/pairs.jsonl" dir="$exp/rm-rollouts"
  step train-rm "$exp/rm/model.onnx" autotraj train-rm --pairs "$pairs" --out "$exp/rm"
  # Done when the training report is there (written last): the models other than rm/ are not
  # committed (8-90 MB each), their reports are, so a rerun from a clone redoes nothing.
  step train-rm-trl "$exp/rm-trl/training-report.json" autotraj train-rm --backend trl --pairs "$pairs" --out "$exp/rm-trl"
  # One split holds out ~9 pairs: train again on other seeds' splits (rm-heldout.mjs pools them).
  local seed ngram_dirs="$exp/rm" trl_dirs="$exp/rm-trl"
  for seed in $(seq 2 "${EXP_RM_SEEDS:-10}"); do
    step "train-rm-seed-$seed" "$exp/rm-seeds/ngram-$seed/training-report.json" autotraj train-rm --pairs "$pairs" \
      --seed "$seed" --out "$exp/rm-seeds/ngram-$seed"
    ngram_dirs+=",$exp/rm-seeds/ngram-$seed"
  done
  for seed in $(seq 2 "${EXP_RM_TRL_SEEDS:-3}"); do
    step "train-rm-trl-seed-$seed" "$exp/rm-seeds/trl-$seed/training-report.json" autotraj train-rm --backend trl \
      --pairs "$pairs" --seed "$seed" --out "$exp/rm-seeds/trl-$seed"
    trl_dirs+=",$exp/rm-seeds/trl-$seed"
  done
  # The MiniLM RM trained longer (EXP_RM_TRL_LONG_EPOCHS, 10, against train-rm's 2) on the same
  # splits: does more training on these few pairs learn more than length?
  local long_epochs="${EXP_RM_TRL_LONG_EPOCHS:-10}" long_dirs=""
  for seed in $(seq 1 "${EXP_RM_TRL_SEEDS:-3}"); do
    step "train-rm-trl-$long_epochs-epochs-seed-$seed" "$exp/rm-trl-$long_epochs-epochs/seed-$seed/training-report.json" \
      autotraj train-rm --backend trl --pairs "$pairs" --epochs "$long_epochs" --seed "$seed" \
      --out "$exp/rm-trl-$long_epochs-epochs/seed-$seed"
    long_dirs+="${long_dirs:+,}$exp/rm-trl-$long_epochs-epochs/seed-$seed"
  done
  mkdir -p "$dir"
  # RL prompts: the GSM8K train problems after the SFT ones (the RMs never saw them).
  [ -s "$dir/prompts.jsonl" ] || sed -n "$((train_limit + 1)),$((train_limit + ${EXP_RM_GROUPS:-25}))p" "$tasks" >"$dir/prompts.jsonl"
  step rm-rollouts "$dir/rollouts-done" sh -c "node packages/cli/dist/bin.js rollout --model local \
    --prompts '$dir/prompts.jsonl' --group-size 4 --rm '$exp/rm/model.onnx' --out '$dir' \
    --temperature 0.3 --max-tokens 320 --concurrency 4 --seed 0 && touch '$dir/rollouts-done'"
  local preset model args=()
  for preset in paper autotraj; do
    for model in rm rm-trl; do
      [ -s "$dir/rewards-$preset-$model.jsonl" ] ||
        autotraj reward "$dir/rollouts.jsonl" --preset "$preset" --rm "$exp/$model/model.onnx" \
          --tasks "$dir/prompts.jsonl" --out "$dir/rewards-$preset-$model.jsonl" >/dev/null
      args+=("$preset preset, $model=$dir/rewards-$preset-$model.jsonl")
    done
  done
  # Ours with the RM calibrated ((rm - center) / scale): the groups are split in halves, and each
  # half is rewarded with the calibration fitted (fitRmCalibration) to the raw RM scores of the
  # other half's right answers, as the uncalibrated rewards above hold them, so no figure is
  # measured on the rollouts its calibration came from.
  local models=() model fit1 fit2
  for model in rm rm-trl; do
    [ -s "$dir/rewards-autotraj-calibrated-$model.jsonl" ] || models+=("$model")
  done
  if [ "${#models[@]}" -gt 0 ]; then
    local dir_abs
    dir_abs="$(realpath "$dir")"
    # Writes fold-1.jsonl and fold-2.jsonl; prints, per model, the calibrations of folds 1 and 2.
    (cd packages/cli && node --input-type=module -e '
      import { readFileSync, writeFileSync } from "node:fs";
      import { fitRmCalibration } from "@autotraj/rl";
      const [dir, ...models] = process.argv.slice(1);
      const read = (f) => readFileSync(`${dir}/${f}`, "utf8").split("\n").filter(Boolean);
      const rollouts = read("rollouts.jsonl").map((line) => ({ line, group: JSON.parse(line).groupId }));
      const groups = [...new Set(rollouts.map((r) => r.group))];
      const first = new Set(groups.slice(0, groups.length >> 1));
      const foldOf = (group) => (first.has(group) ? 1 : 2);
      for (const fold of [1, 2])
        writeFileSync(`${dir}/fold-${fold}.jsonl`,
          rollouts.filter((r) => foldOf(r.group) === fold).map((r) => `${r.line}\n`).join(""));
      for (const model of models) {
        const right = { 1: [], 2: [] };
        for (const line of read(`rewards-autotraj-${model}.jsonl`)) {
          const r = JSON.parse(line);
          // Rollout ids are `<taskId>/<index>`: the group is the task.
          if (r.rmScore !== null && r.outcome > 0) right[foldOf(String(r.id).split("/")[0])].push(r.rmScore);
        }
        const fit = (fold) => { const c = fitRmCalibration(right[3 - fold]); return `${c.center},${c.scale}`; };
        console.log(`${model} ${fit(1)} ${fit(2)}`);
      }
    ' "$dir_abs" "${models[@]}") | while read -r model fit1 fit2; do
      echo "experiment: $model calibrations (each fitted on the other half): $fit1 / $fit2" >&2
      autotraj reward "$dir/fold-1.jsonl" --preset autotraj --rm "$exp/$model/model.onnx" \
        --rm-calibration="$fit1" --tasks "$dir/prompts.jsonl" --out "$dir/calibrated-1.jsonl" </dev/null >/dev/null
      autotraj reward "$dir/fold-2.jsonl" --preset autotraj --rm "$exp/$model/model.onnx" \
        --rm-calibration="$fit2" --tasks "$dir/prompts.jsonl" --out "$dir/calibrated-2.jsonl" </dev/null >/dev/null
      cat "$dir/calibrated-1.jsonl" "$dir/calibrated-2.jsonl" >"$dir/calibrated.partial"
      mv "$dir/calibrated.partial" "$dir/rewards-autotraj-calibrated-$model.jsonl"
    done
    rm -f "$dir"/fold-?.jsonl "$dir"/calibrated-?.jsonl
  fi
  for model in rm rm-trl; do
    args+=("autotraj preset, $model, calibrated (cross-fitted halves)=$dir/rewards-autotraj-calibrated-$model.jsonl")
  done
  {
    echo "## Reward models on the real pairs (held out: problems not trained on, pooled over seeds)"
    echo
    node scripts/experiment/rm-heldout.mjs "ngram=$ngram_dirs" "trl=$trl_dirs" "trl, $long_epochs epochs=$long_dirs"
    echo
    echo "## The RM term on real rollouts (Qwen, groups of 4, T=0.3)"
    echo
    node scripts/experiment/rm-shares.mjs "${args[@]}"
  } | tee "$exp/rm-report.md"
}

if [ "$what" = rm ]; then
  reward_models
  exit 0
fi

if [ "$what" = grpo ]; then
  grpo
  echo "experiment: grpo done; the reward per step is in $exp/grpo/grpo-report.json" >&2
  exit 0
fi

# 1. The SFT set. synthesize resumes by itself; its manifest is written when every task is done.
synthesize_done="$synthesis/manifest.json"
[ "$(node -p "try { require('./$synthesis/manifest.json').counts.tasks } catch { 0 }" 2>/dev/null)" = "$train_limit" ] || synthesize_done=/nonexistent
step synthesize "$synthesize_done" autotraj synthesize --model local --tasks "$tasks" --limit "$train_limit" \
  --n 2 --temperature 0.3 --max-tokens 320 --concurrency 4 --repair-prompt repair-question --out "$synthesis"

# 2. Fine-tuning and evaluation: each model is evaluated as soon as it is trained, so a run that
# spans days gives its rows one by one, the paper's comparison (b against c) first.
# The same prompt (the default) and greedy decoding for every model. train-sft resumes from its
# checkpoints, eval from its records.
sft="$synthesis/sft.jsonl"
benchmarks=(--benchmark gsm8k-test --limit "$eval_limit")
[ "$math_limit" = 0 ] || benchmarks=(--benchmark gsm8k-test,math500 --limit "$eval_limit")
evaluate() {
  local name="$1"
  shift
  step "eval-$name" "$exp/eval/$name/results.json" autotraj eval "${benchmarks[@]}" --out "$exp/eval/$name" "$@"
}
evaluate a-qwen-base --model local
# The base model's own no-tool chain of thought on the same questions: what TIR must beat.
evaluate a-qwen-base-cot --model local --tools none --protocol markdown --prompt cot-boxed

step train-qwen-kept "$exp/qwen-lora-kept/adapter.gguf" autotraj train-sft --sft "$sft" --origin kept \
  --base local --method lora --out "$exp/qwen-lora-kept" "${qwen_epochs[@]}" "${train_args[@]}" "${qwen_save[@]}"
evaluate b-qwen-lora-kept --model local --lora "$exp/qwen-lora-kept/adapter.gguf"

step train-qwen-autotraj "$exp/qwen-lora-autotraj/adapter.gguf" autotraj train-sft --sft "$sft" \
  --base local --method lora --out "$exp/qwen-lora-autotraj" "${qwen_epochs[@]}" "${train_args[@]}" "${qwen_save[@]}"
evaluate c-qwen-lora-autotraj --model local --lora "$exp/qwen-lora-autotraj/adapter.gguf"

step train-smollm2-autotraj "$exp/smollm2-full-autotraj/model.gguf" autotraj train-sft --sft "$sft" \
  --base local:smollm2 --method full --out "$exp/smollm2-full-autotraj" "${student_epochs[@]}" "${train_args[@]}"
evaluate smollm2-base --model local:smollm2
evaluate d-smollm2-full-autotraj --model "local:$exp/smollm2-full-autotraj/model.gguf"

# Compared from inside EXP_DIR so the table names the runs, not their paths.
(
  cd "$exp"
  cli="$root/packages/cli/dist/bin.js"
  node "$cli" compare eval/a-qwen-base eval/b-qwen-lora-kept eval/c-qwen-lora-autotraj
  node "$cli" compare eval/a-qwen-base-cot eval/a-qwen-base
  node "$cli" compare eval/smollm2-base eval/d-smollm2-full-autotraj
) | tee "$exp/compare.md"
echo "experiment: done; step times in $exp/timings.tsv" >&2
exit 0
}
