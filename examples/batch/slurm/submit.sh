#!/usr/bin/env bash
# Queue the array, then a merge that starts only when every array task has succeeded.
set -euo pipefail
mkdir -p runs/logs
jobid=$(sbatch --parsable slurm/synthesize-array.sh)
sbatch --dependency=afterok:"${jobid%%;*}" --job-name=autotraj-merge \
  --output=runs/logs/merge-%j.out --wrap \
  "autotraj merge runs/synthesis/shard-0 runs/synthesis/shard-1 runs/synthesis/shard-2 runs/synthesis/shard-3 --out runs/synthesis/merged"
