#!/usr/bin/env bash
# `lc results` over 10,000 universes (all fresh) against `lc status --json` on the same project:
# results reads the same manifests, then verifies each metric output it reads (re-hash + chain)
# and parses its JSON. Goal: <= 1.5x. Warm runs: the OS has the files cached.
#   bench/results.sh [UNIVERSES]   (default 10000; a multiple of 100)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
universes="${1:-10000}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Three decisions (10 x 10 x UNIVERSES/100 options), one universe file per combination; per
# universe an upstream `prep` (data, decision a) and the metric `m` made from it.
python3 - "$work/project" "$universes" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
cs = n // 100
os.makedirs(os.path.join(root, "universes"))
lines = ["id: results_bench", "decisions:"]
for d, k in (("a", 10), ("b", 10), ("c", cs)):
    lines += [f"  {d}:", f"    label: {d.upper()}", "    options:"]
    lines += [f'      {d}{o}: {{label: "{o}"}}' for o in range(k)]
lines += [
    "outputs:",
    "  - id: prep",
    "    type: data",
    "    decisions: [a]",
    '    recipe: {command: "echo {decisions.a} > {output}/prep.txt"}',
    "  - id: m",
    "    type: metric",
    "    inputs: [prep]",
    "    decisions: [a, b, c]",
    "    recipe:",
    "      command: >-",
    "        a={decisions.a}; b={decisions.b}; c={decisions.c};",
    "        printf '{{\"v\": %s.%s%s, \"lo\": 0, \"hi\": 99}}' ${{a#a}} ${{b#b}} ${{c#c}} > {output}/m.json",
]
open(os.path.join(root, "astra.yaml"), "w").write("\n".join(lines) + "\n")
u = 0
for a in range(10):
    for b in range(10):
        for c in range(cs):
            with open(os.path.join(root, "universes", f"u{u:05d}.yaml"), "w") as f:
                f.write(f"decisions: {{a: a{a}, b: b{b}, c: c{c}}}\n")
            u += 1
PY

t0=$(now_ms)
"$lc" run -C "$work/project" >/dev/null
echo "made $((2 * universes)) outputs in $(secs $(( $(now_ms) - t0 ))) s" >&2
"$lc" status -C "$work/project" --json >/dev/null  # warms the OS cache
"$lc" results -C "$work/project" m.v >/dev/null
ok=$("$lc" results -C "$work/project" m.v --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["counts"].get("ok", 0))')
if [[ "$ok" != "$universes" ]]; then
  echo "results.sh: expected $universes ok universes, got $ok" >&2
  exit 1
fi
# Back to back, alternating, so that other work on the machine hits both alike.
status_runs=()
results_runs=()
for _ in 1 2 3; do
  status_runs+=("$(time_ms "$lc" status -C "$work/project" --json)")
  results_runs+=("$(time_ms "$lc" results -C "$work/project" m.v)")
done
s=$(median "${status_runs[@]}")
r=$(median "${results_runs[@]}")
echo "lc results m.v over $ok ok universes: $(secs "$r") s; lc status --json on the same project" \
  "($((2 * universes)) outputs): $(secs "$s") s; ratio $(ratio "$r" "$s")x (goal <= 1.50x;" \
  "medians of 3 warm runs: results ${results_runs[*]} ms, status ${status_runs[*]} ms)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')," \
  "load $(cut -d' ' -f1-3 /proc/loadavg)"
