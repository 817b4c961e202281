#!/usr/bin/env bash
# Builds llama.cpp's `llama-server` once (`./dev llama-server`), as a real OpenAI-compatible peer
# for the tests of generation's prefill and completions continuation modes.
#
# The source is the git bundle node-llama-cpp ships (`llama/gitRelease.bundle`), taken from the
# node-llama-cpp that @autotraj/llama-cpp has installed (the version pnpm-lock.yaml pins), so the
# server and the embedded model run the same llama.cpp. CPU only, and nothing is fetched: HTTPS
# (OpenSSL), the web UI (built or prebuilt) and FetchContent are off; tests and examples are not
# built. The binary goes to .cache/llama-server/<commit>/bin/llama-server, with a stamp naming
# the commit and the flags; `current` links to the build for the pinned version. A rerun with
# the same commit and flags does nothing. Prints the binary's path on stdout.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="$root/.cache/llama-server"

# The installed node-llama-cpp, resolved by Node from @autotraj/llama-cpp (not a store path).
pkg="$(cd "$root/packages/llama-cpp" && node -e '
const { createRequire } = require("node:module");
const { dirname, join } = require("node:path");
const { existsSync, readFileSync } = require("node:fs");
let dir = dirname(createRequire(join(process.cwd(), "package.json")).resolve("node-llama-cpp"));
while (!existsSync(join(dir, "package.json")) || JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name !== "node-llama-cpp") {
  if (dirname(dir) === dir) throw new Error("node-llama-cpp: no package.json above its entry");
  dir = dirname(dir);
}
console.log(dir);')"
version="$(node -p 'require(process.argv[1]).version' "$pkg/package.json")"
pinned="$(node -p 'require(process.argv[1]).dependencies["node-llama-cpp"]' "$root/packages/llama-cpp/package.json")"
if [ "$version" != "$pinned" ]; then
  echo "llama-server: node-llama-cpp $version is installed but packages/llama-cpp pins $pinned; run ./dev install" >&2
  exit 1
fi
bundle="$pkg/llama/gitRelease.bundle"
if [ ! -f "$bundle" ]; then
  echo "llama-server: $bundle is missing (node-llama-cpp $version ships llama.cpp's source there)" >&2
  exit 1
fi
# A bundle starts with a text header: the signature line, then `<sha> <ref>` lines.
commit="$(sed -n '2p' "$bundle" | cut -d' ' -f1)"
if ! [[ "$commit" =~ ^[0-9a-f]{40}$ ]]; then
  echo "llama-server: cannot read the commit from $bundle" >&2
  exit 1
fi

# Everything that could reach the network is off; GGML_NATIVE (the default) tunes for this CPU,
# which is right for a cache that lives on the machine it was built on.
FLAGS=(
  -DCMAKE_BUILD_TYPE=Release
  -DBUILD_SHARED_LIBS=OFF
  -DGGML_NATIVE=ON
  -DGGML_CUDA=OFF -DGGML_VULKAN=OFF -DGGML_METAL=OFF -DGGML_HIP=OFF -DGGML_SYCL=OFF
  -DGGML_OPENCL=OFF -DGGML_RPC=OFF -DGGML_CPU_KLEIDIAI=OFF
  -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_BORINGSSL=OFF -DLLAMA_BUILD_LIBRESSL=OFF
  -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF
  -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=ON
  -DLLAMA_LLGUIDANCE=OFF
  -DFETCHCONTENT_FULLY_DISCONNECTED=ON
)
out="$cache/${commit:0:12}"
bin="$out/bin/llama-server"
stamp_text="llama.cpp $commit (node-llama-cpp $version) ${FLAGS[*]}"

if [ -x "$bin" ] && [ "$(cat "$out/stamp" 2>/dev/null)" = "$stamp_text" ]; then
  ln -sfn "${commit:0:12}" "$cache/current"
  echo "$bin"
  exit 0
fi

for tool in git cmake c++; do
  command -v "$tool" >/dev/null 2>&1 || { echo "llama-server: '$tool' is needed to build llama-server" >&2; exit 1; }
done

mkdir -p "$cache"
exec 9>"$cache/.build.lock"
# Several shells may share one checkout: one build at a time; the second finds the first's stamp.
command -v flock >/dev/null 2>&1 && flock 9
if [ -x "$bin" ] && [ "$(cat "$out/stamp" 2>/dev/null)" = "$stamp_text" ]; then
  ln -sfn "${commit:0:12}" "$cache/current"
  echo "$bin"
  exit 0
fi

# The clone and the build tree are kept per commit, so a killed build resumes where it stopped.
work="$cache/.build-${commit:0:12}"
mkdir -p "$work"
jobs="${AUTOTRAJ_BUILD_JOBS:-$(nproc 2>/dev/null || echo 2)}"
echo "llama-server: building llama.cpp ${commit:0:12} (node-llama-cpp $version) with $jobs jobs into $work; 5 to 50 minutes on 2 cores, depending on the load" >&2
start=$(date +%s)
if [ "$(git -C "$work/src" rev-parse HEAD 2>/dev/null)" != "$commit" ]; then
  rm -rf "$work/src" "$work/build"
  git clone --quiet --no-checkout "$bundle" "$work/src" >&2
  git -C "$work/src" -c advice.detachedHead=false checkout --quiet "$commit" >&2
fi
cmake -S "$work/src" -B "$work/build" "${FLAGS[@]}" >"$work/configure.log" 2>&1 || {
  tail -n 40 "$work/configure.log" >&2
  exit 1
}
cmake --build "$work/build" --target llama-server -j "$jobs" >"$work/build.log" 2>&1 || {
  tail -n 40 "$work/build.log" >&2
  exit 1
}
# Whole directory swapped in at once: a killed build leaves no half-written binary.
rm -rf "$out.new"
mkdir -p "$out.new/bin"
cp "$work/build/bin/llama-server" "$out.new/bin/llama-server"
"$out.new/bin/llama-server" --version >"$out.new/version.txt" 2>&1 || true
printf '%s\n' "$stamp_text" >"$out.new/stamp"
rm -rf "$out"
mv "$out.new" "$out"
ln -sfn "${commit:0:12}" "$cache/current"
rm -rf "$work"
echo "llama-server: built in $(($(date +%s) - start)) s (load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'))" >&2
echo "$bin"
