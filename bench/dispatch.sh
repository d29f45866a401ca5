#!/usr/bin/env bash
# Per-task overhead of `lc run` on the local substrate: 1,000 trivial tasks (`true`), each with
# its staging directory, log, hash, manifest and atomic publish, against xargs running the same
# 1,000 commands two at a time. Goal: lc <= 1.5x xargs (unsandboxed, --sandbox off). Then the cost
# of the bubblewrap sandbox: the same run with --sandbox on (the default where bwrap works) against
# --sandbox off, in ms per task and slot. Goal: <= 3 ms per task on 2 cpus.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# No key of the user's: the first runs are unsigned, the signed ones use a key made here.
export XDG_CONFIG_HOME="$work/config"

mkdir -p "$work/project/universes"
python3 - "$work/project/astra.yaml" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("id: dispatch\noutputs:\n")
    for i in range(1000):
        f.write(f'  - id: t{i:04d}\n    type: data\n    recipe: {{command: "true"}}\n')
PY
echo "{}" > "$work/project/universes/u.yaml"

echo "machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')," \
  "load $(cut -d' ' -f1-3 /proc/loadavg), $(bwrap --version 2>/dev/null || echo 'no bwrap')"

lc_runs=()
xargs_runs=()
sandboxed_runs=()
for _ in 1 2 3; do
  rm -rf "$work/project/results" "$work/project/.lightcone"
  lc_runs+=("$(time_ms "$lc" run -C "$work/project" -j 2 --sandbox off)")
  test "$(find "$work/project/results/u" -name .lightcone-manifest.json | wc -l)" = 1000
  xargs_runs+=("$(time_ms sh -c 'seq 1000 | xargs -P2 -n1 sh -c true')")
  rm -rf "$work/project/results" "$work/project/.lightcone"
  sandboxed_runs+=("$(time_ms "$lc" run -C "$work/project" -j 2 --sandbox on)")
  test "$(grep -l '"tool": "bwrap"' "$work"/project/results/u/*/.lightcone-manifest.json | wc -l)" = 1000
done
l=$(median "${lc_runs[@]}")
x=$(median "${xargs_runs[@]}")
echo "1,000 trivial tasks: lc run -j 2 $(secs "$l") s, xargs -P2 $(secs "$x") s," \
  "ratio $(ratio "$l" "$x")x (goal <= 1.5x; medians of 3, lc includes JVM start and planning)"
# What the ratio means for real recipes: the time lc adds per task, in one of the 2 slots.
awk -v l="$l" -v x="$x" 'BEGIN {
  ms = (l - x) * 2 / 1000
  printf "lc adds %.1f ms per task and slot (start-up included): 1%% of a %.1f s recipe\n", ms, ms / 10
}'
s=$(median "${sandboxed_runs[@]}")
awk -v s="$s" -v l="$l" 'BEGIN {
  off = l * 2 / 1000; on = s * 2 / 1000
  printf "sandbox: --sandbox off %.1f ms per task and slot, --sandbox on (bwrap) %.1f ms: the sandbox costs %.1f ms per task (goal <= 3 ms; medians of 3)\n", off, on, on - off
}'

# Signing: the same unsandboxed runs with a signing key, every manifest then carrying an Ed25519
# signature (against the unsandboxed baseline above: the sandbox is measured on its own).
"$lc" keys init --key "$work/key" >/dev/null 2>&1
signed_runs=()
for _ in 1 2 3; do
  rm -rf "$work/project/results" "$work/project/.lightcone"
  signed_runs+=("$(LIGHTCONE_SIGNING_KEY="$work/key" time_ms "$lc" run -C "$work/project" -j 2 --sandbox off)")
  grep -q '"signature"' "$work/project/results/u/t0000/.lightcone-manifest.json"
done
s=$(median "${signed_runs[@]}")
awk -v s="$s" -v l="$l" 'BEGIN {
  printf "signed: lc run -j 2 %.2f s, unsigned %.2f s: signing adds %.2f ms per task (goal <= 0.2 ms)\n",
    s / 1000, l / 1000, (s - l) / 1000
}'
machine
