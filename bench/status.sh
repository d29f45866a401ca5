#!/usr/bin/env bash
# `lc status` over 10,000 outputs (1,000 universes x 10 outputs, all made), warm: the second and
# later calls, when the OS has the manifests cached. Goal: <= 1 s.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work/project" <<'PY'
import os, sys
root = sys.argv[1]
os.makedirs(os.path.join(root, "universes"))
lines = ["id: status", "inputs:", "  - id: raw", "    type: data", "    source: raw.txt",
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

"$lc" run -C "$work/project" >/dev/null
"$lc" status -C "$work/project" >/dev/null  # warms the OS cache
runs=()
for _ in 1 2 3; do
  runs+=("$(time_ms "$lc" status -C "$work/project" --json)")
done
m=$(median "${runs[@]}")
ok=$("$lc" status -C "$work/project" --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(sum(o["status"]=="ok" for u in d["universes"] for o in u["outputs"]))')
echo "lc status --json over $ok ok outputs (1,000 universes x 10): $(secs "$m") s" \
  "(median of 3 warm runs: ${runs[*]} ms; goal <= 1.00 s)"
