#!/usr/bin/env bash
# The GPU check's steps (README: "The GPU check"), each a process of its own with a time cap, results
# written to $OUT as they come: results.jsonl (one JSON object a line), log.txt, summary.txt.
# On a lent device machine (carry .gpu/device and .gl; about 7 minutes):
#   bash scripts/gpu/run.sh
# Here, on a software adapter with tiny sizes (what `npm run bench:gpu` does after preparing):
#   PM_MODE=dry PM_PAYLOAD=.gpu/payload OUT=bench/tmp/gpu-dry bash scripts/gpu/run.sh
# PM_HARD: seconds after which no step starts (default 420; a dry run's software GPU needs ~600).
set -u
T0=$(date +%s)
HARD=${PM_HARD:-$([ "${PM_MODE:-full}" = dry ] && echo 600 || echo 420)}
MODE=${PM_MODE:-full}
export OUT=${OUT:-/tmp/out}
mkdir -p "$OUT"
LOG=$OUT/log.txt
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}

left() { echo $(( HARD - ($(date +%s) - T0) )); }
say() { echo "[run.sh +$(( $(date +%s) - T0 ))s] $*" | tee -a "$LOG"; }

# step NAME WANT_S MIN_S ARGS...: bench.mjs ARGS with at most WANT_S seconds (less near the end),
# skipped when fewer than MIN_S are left. PM_UNTIL tells the step when to stop starting work.
step() {
  local name=$1 want=$2 min=$3; shift 3
  local l; l=$(left)
  if (( l < min + 3 )); then
    say "SKIP $name: ${l}s left"
    echo "{\"kind\":\"skipped\",\"step\":\"$name\",\"secondsLeft\":$l}" >> "$OUT/results.jsonl"
    return
  fi
  local t=$(( want < l - 3 ? want : l - 3 ))
  say "START $name (limit ${t}s)"
  local s; s=$(date +%s)
  # (In a subshell whose stderr is dropped: bash reports the kill below as "Killed".)
  ( PM_UNTIL=$(( (s + t - 3) * 1000 )) timeout -k 3 "$t" "$NODE" "$P/bench.mjs" "$@" > "$OUT/step.txt" 2>&1; exit $? ) 2> /dev/null
  local rc=$?
  { echo "----- $name (rc=$rc) -----"; tail -c 60000 "$OUT/step.txt"; } >> "$LOG"
  rm -f "$OUT/step.txt"
  # rc 137: the step ends itself with SIGKILL once its results are written (Dawn can hang at exit).
  say "END $name rc=$rc in $(( $(date +%s) - s ))s"
}

# 1. The payload: unpacked from the carried tarball, or a folder given (a dry run here).
if [ -n "${PM_PAYLOAD:-}" ]; then
  P=$(cd "$PM_PAYLOAD" && pwd)
else
  P=/tmp/papermap-gpu
  if [ ! -x "$P/node" ]; then
    mkdir -p "$P"
    tar -xJf "$ROOT/.gpu/device/payload.tar.xz" -C "$P" 2>> "$LOG" || { say "cannot unpack .gpu/device/payload.tar.xz (carried? run npm run bench:gpu first)"; exit 1; }
  fi
fi
NODE=$P/node
export PM_MODELS=$ROOT/public/models
say "mode=$MODE payload=$P node=$("$NODE" --version 2>&1) cpus=$(nproc) host=$(hostname)"
{ uname -a; ldd --version 2>&1 | head -1; nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv 2>&1 | head -2; } >> "$LOG" 2>&1

# 2. Vulkan: the loader (carried .gl/*.deb where the image has none) and a driver. A dry run here
#    uses the SwiftShader Vulkan driver that Chromium ships.
if ! ldconfig -p | grep -q 'libvulkan.so.1' && ls "$ROOT"/.gl/*.deb > /dev/null 2>&1; then
  for f in "$ROOT"/.gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
  say "unpacked the carried loaders"
fi
if [ -z "${VK_ICD_FILENAMES:-}" ]; then
  for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd*.json /etc/vulkan/icd.d/nvidia_icd*.json; do
    [ -f "$icd" ] && { export VK_DRIVER_FILES=$icd VK_ICD_FILENAMES=$icd; break; }
  done
  if [ -z "${VK_ICD_FILENAMES:-}" ] && [ "$MODE" = dry ] && [ -f /usr/lib/chromium/vk_swiftshader_icd.json ]; then
    export VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json
  fi
fi
say "VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-unset}"

if [ "$MODE" = dry ]; then
  # A software adapter compiles the transformer's shaders for ~50 s before its first batch.
  KNN=300x64,1200x64; SAMPLE=50; PIPE=400; PIPE_DEVICE=webgpu; SHAPE=tiny; N_EMBED=8; CAP=60; GPU_EMBED_S=130; BATCH=4; N_STATIC=64; STATIC_S=90
else
  # 336 papers (the shipped map's size) to 100,000: where the GPU starts to win, and by how much.
  KNN=336x384,2000x384,5000x384,10000x384,50000x384,100000x384; SAMPLE=300; PIPE=6000; PIPE_DEVICE=auto; SHAPE=minilm; N_EMBED=2048; CAP=30; GPU_EMBED_S=55; BATCH=32; N_STATIC=512; STATIC_S=55
fi

step probe 40 10 probe
# Without a hardware adapter (any adapter in a dry run) the GPU steps are skipped.
GPU=$("$NODE" -e 'const l = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter((x) => x.includes("\"kind\":\"adapter\"")).pop();
  const a = l && JSON.parse(l).adapters.find((x) => x.info); console.log(a && (!a.info.isFallbackAdapter || process.argv[2] === "dry") ? 1 : 0)' "$OUT/results.jsonl" "$MODE" 2>/dev/null || echo 0)
say "GPU=$GPU"
if [ "$GPU" = 1 ]; then
  step knn 90 20 knn "$KNN" "$SAMPLE"
  step pipeline-$PIPE_DEVICE 90 30 pipeline "$PIPE" "$PIPE_DEVICE"
fi
step pipeline-wasm 90 30 pipeline "$PIPE" wasm
step genmodel 30 10 genmodel "$SHAPE"
if [ "$GPU" = 1 ]; then
  step embed-webgpu-length "$GPU_EMBED_S" 20 embed bench/random-bert webgpu "$BATCH" "$N_EMBED" "$CAP" length
  step embed-webgpu-corpus "$GPU_EMBED_S" 20 embed bench/random-bert webgpu "$BATCH" "$N_EMBED" "$CAP" corpus
fi
step embed-wasm-length $((CAP + 25)) 20 embed bench/random-bert wasm "$BATCH" "$N_EMBED" "$CAP" length
if [ "$GPU" = 1 ]; then
  # The embedded model through transformers.js on WebGPU: its int8 graph, then a float32 table
  # (issue #15: the int8 graph's first WebGPU run took 33–35 s on an H200).
  step genstatic 20 5 genstatic
  step embed-static-int8 "$STATIC_S" 20 embed bench/static-int8 webgpu 32 "$N_STATIC" 10 length
  step embed-static-f32 "$STATIC_S" 20 embed bench/static-f32 webgpu 32 "$N_STATIC" 10 length
fi

"$NODE" "$P/bench.mjs" summary > /dev/null 2>> "$LOG"
say "DONE in $(( $(date +%s) - T0 ))s"
cat "$OUT/summary.txt" 2>/dev/null
exit 0
