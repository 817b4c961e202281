#!/usr/bin/env bash
# One `autotraj synthesize` run split over a Slurm job array of 4 tasks (ids 0..3).
# --shard auto reads SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT; each task writes its own
# directory on the shared filesystem. The model server comes from $AUTOTRAJ_BASE_URL. Submit with slurm/submit.sh (which queues the merge).
#SBATCH --job-name=autotraj-synthesize
#SBATCH --array=0-3
#SBATCH --cpus-per-task=4
#SBATCH --time=24:00:00
#SBATCH --output=runs/logs/synthesize-%A_%a.out
#SBATCH --requeue
set -euo pipefail
# A requeued or rerun task resumes its shard's directory (same --shard, same --out).
autotraj synthesize --shard auto --tasks runs/tasks.jsonl --n 4 \
  --model vllm:Qwen2.5-7B-Instruct \
  --out "runs/synthesis/shard-$SLURM_ARRAY_TASK_ID"
