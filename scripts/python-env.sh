#!/usr/bin/env bash
# Creates or refreshes the project's Python venv (.venv/) from python/requirements*.txt.
# Prints the interpreter's path on stdout. Re-installs only when a requirements file is newer
# than the last install. Needs python3 >= 3.10 with venv, and PyPI (or a pip mirror).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
stamp="$venv/.autotraj-stamp"
need=0
[ -x "$venv/bin/python" ] || need=1
for req in "$root"/python/requirements*.txt; do
  [ -f "$stamp" ] && [ ! "$req" -nt "$stamp" ] || need=1
done
if [ "$need" = 1 ]; then
  (
    # Several shells may share one checkout: one install at a time.
    mkdir -p "$root/.cache"
    exec 9>"$root/.cache/python-env.lock"
    command -v flock >/dev/null 2>&1 && flock 9
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv" >&2
    echo "dev: installing python/requirements*.txt into .venv/ (PyPI)" >&2
    # Files without a `# pip-options:` line resolve together; a file with one (e.g. a fully
    # pinned closure installed with --no-deps) is installed on its own, after them, with those
    # options.
    args=()
    later=()
    for req in "$root"/python/requirements*.txt; do
      if grep -q '^# pip-options:' "$req"; then later+=("$req"); else args+=(-r "$req"); fi
    done
    pip=("$venv/bin/python" -m pip install --disable-pip-version-check -q)
    [ "${#args[@]}" = 0 ] || "${pip[@]}" "${args[@]}" >&2
    for req in "${later[@]}"; do
      read -r -a options <<<"$(sed -n 's/^# pip-options://p' "$req" | head -n 1)"
      "${pip[@]}" "${options[@]}" -r "$req" >&2
    done
    touch "$stamp"
  )
fi
echo "$venv/bin/python"
