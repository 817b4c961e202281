#!/usr/bin/env bash
# The project's Python venv (.venv/), in two layers, each installed on first use and again when
# its requirements file is newer than its last install:
#   base      python/requirements.txt: sympy, numpy, Math-Verify (the tool sandbox, the oracle,
#             the demo and the tests); about 200 MB;
#   trainers  python/requirements-trainers.txt: torch, TRL, verl, OpenRLHF, LLaMA-Factory (the
#             trainer commands and their tests); about 4.2 GB, so only with --trainers.
# Prints the interpreter's path on stdout. Needs python3 >= 3.10 with venv, and PyPI (or a pip
# mirror).
#   scripts/python-env.sh              the base layer
#   scripts/python-env.sh --trainers   the base layer, then the trainers ($AUTOTRAJ_PYTHON
#                                      instead when set, if it has them)
#   scripts/python-env.sh --status     prints the trainers' state (installed, stale, missing;
#                                      of $AUTOTRAJ_PYTHON when set), installs nothing
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
mode="${1:-base}"
case "$mode" in
  base | --trainers | --status) ;;
  *)
    echo "python-env.sh: unknown argument $mode (expected --trainers or --status)" >&2
    exit 2
    ;;
esac

# The trainer packages' top-level modules: present means the layer was installed (by this
# script or by hand, e.g. in an interpreter given through AUTOTRAJ_PYTHON).
trainer_modules="torch trl transformers peft verl openrlhf llamafactory"
has_trainers() {
  "$1" - $trainer_modules <<'EOF' 2>/dev/null
import importlib.util, sys
sys.exit(0 if all(importlib.util.find_spec(m) for m in sys.argv[1:]) else 1)
EOF
}

if [ "$mode" = --status ]; then
  python="${AUTOTRAJ_PYTHON:-$venv/bin/python}"
  stamp="$(dirname "$(dirname "$python")")/.autotraj-trainers-stamp"
  if ! has_trainers "$python"; then
    echo missing
  elif [ -f "$stamp" ] && [ "$root/python/requirements-trainers.txt" -nt "$stamp" ]; then
    echo stale
  else
    echo installed
  fi
  exit 0
fi

# Install one requirements file if it changed since its stamp. A file with a `# pip-options:`
# line (e.g. a fully pinned closure installed with --no-deps) is installed with those options.
layer() {
  local req="$root/python/$1" stamp="$venv/.autotraj-$2-stamp"
  [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ ! "$req" -nt "$stamp" ] && return 0
  (
    # Several shells may share one checkout: one install at a time.
    mkdir -p "$root/.cache"
    exec 9>"$root/.cache/python-env.lock"
    command -v flock >/dev/null 2>&1 && flock 9
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv" >&2
    echo "dev: installing python/$1 into .venv/ (PyPI)" >&2
    local options=()
    read -r -a options <<<"$(sed -n 's/^# pip-options://p' "$req" | head -n 1)"
    "$venv/bin/python" -m pip install --disable-pip-version-check -q "${options[@]}" -r "$req" >&2
    touch "$stamp"
  )
}

if [ "$mode" = --trainers ] && [ -n "${AUTOTRAJ_PYTHON:-}" ]; then
  # An interpreter given by the user is theirs to install into.
  if ! has_trainers "$AUTOTRAJ_PYTHON"; then
    echo "python-env.sh: AUTOTRAJ_PYTHON=$AUTOTRAJ_PYTHON lacks the trainer packages ($trainer_modules): install python/requirements-trainers.txt into it (pip install --no-deps -r), or unset AUTOTRAJ_PYTHON to use the project venv" >&2
    exit 1
  fi
  echo "$AUTOTRAJ_PYTHON"
  exit 0
fi
layer requirements.txt base
[ "$mode" = base ] || layer requirements-trainers.txt trainers
echo "$venv/bin/python"
