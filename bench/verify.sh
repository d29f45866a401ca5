#!/usr/bin/env bash
# `lc verify` over 10,000 small outputs (1,000 universes x 10 outputs, signed) against the floor:
# reading and hashing every byte once, `find results -type f -print0 | xargs -0 -P2 -n500
# sha256sum` on the same tree. Goal: verify <= 2x the floor; verify --trusted-keys <= 1.2x verify.
# BENCH_BASELINE_LC=/other/checkout/lc also times that lc's verify on the same outputs, alternating
# with this one's, and prints this / that (before and after a change). BENCH_ROUNDS (3) pairs.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# No key of the user's is used: this script makes its own.
export XDG_CONFIG_HOME="$work/config"

python3 - "$work/project" <<'PY'
import os, sys
root = sys.argv[1]
os.makedirs(os.path.join(root, "universes"))
lines = ["id: verify", "inputs:", "  - id: raw", "    type: data", "    source: raw.txt",
         "decisions:", "  k:", "    label: K", "    options:"]
lines += [f'      k{o}: {{label: "{o}"}}' for o in range(1000)]
lines.append("outputs:")
for i in range(10):
    inputs = f"[o{i - 1}]" if i else "[raw]"
    lines.append(f"  - id: o{i}\n    type: data\n    inputs: {inputs}\n    decisions: [k]\n"
                 f'    recipe: {{command: "echo {{decisions.k}} > {{output}}/v"}}')
open(os.path.join(root, "astra.yaml"), "w").write("\n".join(lines) + "\n")
open(os.path.join(root, "raw.txt"), "w").write("raw\n")
for u in range(1000):
    with open(os.path.join(root, "universes", f"u{u:04d}.yaml"), "w") as f:
        f.write(f"decisions: {{k: k{u}}}\n")
PY

"$lc" keys init --key "$work/key" >"$work/trusted.keys" 2>/dev/null
LIGHTCONE_SIGNING_KEY="$work/key" "$lc" run -C "$work/project" --no-cache >/dev/null
"$lc" verify -C "$work/project" >/dev/null  # warms the OS cache
base="${BENCH_BASELINE_LC:-}"
rounds="${BENCH_ROUNDS:-3}"
floor=()
plain=()
trusted=()
base_plain=()
base_trusted=()
for _ in $(seq "$rounds"); do
  echo "load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  floor+=("$(time_ms sh -c "cd '$work/project' && find results -type f -print0 | xargs -0 -P2 -n500 sha256sum")")
  if [[ -n "$base" ]]; then
    base_plain+=("$(time_ms "$base" verify -C "$work/project")")
  fi
  plain+=("$(time_ms "$lc" verify -C "$work/project")")
  if [[ -n "$base" ]]; then
    base_trusted+=("$(time_ms "$base" verify -C "$work/project" --trusted-keys "$work/trusted.keys")")
  fi
  trusted+=("$(time_ms "$lc" verify -C "$work/project" --trusted-keys "$work/trusted.keys")")
done
"$lc" verify -C "$work/project" --trusted-keys "$work/trusted.keys" >/dev/null  # must pass
f=$(median "${floor[@]}")
p=$(median "${plain[@]}")
t=$(median "${trusted[@]}")
n=$(find "$work/project/results" -name .lightcone-manifest.json | wc -l)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$n outputs: floor (find | xargs -P2 sha256sum) $(secs "$f") s, lc verify $(secs "$p") s," \
  "verify --trusted-keys $(secs "$t") s (medians of $rounds, lc includes JVM start)"
echo "verify / floor $(ratio "$p" "$f")x (goal <= 2x); trusted / floor $(ratio "$t" "$f")x;" \
  "verify --trusted-keys / verify $(ratio "$t" "$p")x (goal <= 1.2x)"
if [[ -n "$base" ]]; then
  bp=$(median "${base_plain[@]}")
  bt=$(median "${base_trusted[@]}")
  echo "baseline $base: verify $(secs "$bp") s, verify --trusted-keys $(secs "$bt") s;" \
    "its verify / floor $(ratio "$bp" "$f")x, its trusted / its verify $(ratio "$bt" "$bp")x"
  echo "this / baseline: verify $(ratio "$p" "$bp")x, verify --trusted-keys $(ratio "$t" "$bt")x"
fi
