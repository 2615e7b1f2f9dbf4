#!/usr/bin/env bash
# The issue's quality table: 64-atom fits of the first 2^15 samples of the piano and guitar
# clips, for each loss and initialiser, with wall times. One JSON line per fit (the fit's
# own summary plus the configuration) goes to OUT/results.jsonl, with each fit's trace
# (iteration, seconds, loss) for quality-per-second curves next to it.
#   scripts/quality-table.sh [OUT] [ITERATIONS] [CONFIGS...]
# CONFIGS are clip:loss:init triples (default: all eight). AUDIOSPLAT=path picks the binary.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$here/build/quality}"
iterations="${2:-3000}"
shift $(( $# > 2 ? 2 : $# ))
binary="${AUDIOSPLAT:-$here/build/app/audiosplat}"
dev="$here/../shared/audio/dev"
declare -A clips=([piano]=01_piano_C4_salamander.wav [guitar]=04_guitar_nylon_E3.wav)
configs=("$@")
if [ ${#configs[@]} -eq 0 ]; then
  for clip in piano guitar; do for loss in mrstft multiband; do for init in peaks random; do
    configs+=("$clip:$loss:$init")
  done; done; done
fi
mkdir -p "$out"
for config in "${configs[@]}"; do
  IFS=: read -r clip loss init <<<"$config"
  name="$clip-$loss-$init-$iterations"
  summary=$("$binary" fit "$dev/${clips[$clip]}" -o "$out/$name.atoms" --wav "$out/$name.wav" \
    --atoms 64 --iterations "$iterations" --loss "$loss" --init "$init" --trace "$out/$name.csv" \
    2>"$out/$name.log")
  echo "{\"config\": \"$name\", \"load_before\": \"$(cut -d' ' -f1 /proc/loadavg)\", \"fit\": $summary}" \
    | tee -a "$out/results.jsonl"
done
