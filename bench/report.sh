#!/usr/bin/env bash
# `lc report` over 10,000 outputs (1,000 universes x 10 outputs, all made): its time against
# `lc status` on the same project (aim: <= 3x) and the size of the page (aim: <= 5 MB). Three
# decisions of 10 options make the 1,000 universes; one output is a metric with an interval (a
# specification curve of 1,000 universes, two fields), one a small SVG figure per universe.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work/project" <<'PY'
import os, sys
root = sys.argv[1]
os.makedirs(os.path.join(root, "universes"))
lines = ["id: report", "inputs:", "  - id: raw", "    type: data", "    source: raw.txt",
         "decisions:"]
for d in "abc":
    lines += [f"  {d}:", f"    label: {d.upper()}", "    options:"]
    lines += [f'      {d}{o}: {{label: "{o}"}}' for o in range(10)]
lines.append("outputs:")
for i in range(8):
    inputs = f"[o{i - 1}]" if i else "[raw]"
    lines.append(f"  - id: o{i}\n    type: data\n    inputs: {inputs}\n    decisions: [a, b, c]\n"
                 f'    recipe: {{command: "echo {{decisions.a}} {{decisions.b}} > {{output}}/v"}}')
lines.append("  - id: fit\n    type: metric\n    inputs: [o7]\n    decisions: [a, b, c]\n"
             "    recipe: {command: \"sh fit.sh {decisions.a} {decisions.b} {decisions.c} {output}\"}")
lines.append("  - id: plot\n    type: figure\n    inputs: [fit]\n    recipe:\n"
             "      command: \"sh plot.sh {output}\"")
open(os.path.join(root, "astra.yaml"), "w").write("\n".join(lines) + "\n")
open(os.path.join(root, "raw.txt"), "w").write("raw\n")
open(os.path.join(root, "fit.sh"), "w").write(
    'a=${1#a}; b=${2#b}; c=${3#c}\n'
    'v=$(( a * 7 + b * 3 - c ))\n'
    'printf \'{"slope": %d.5, "slope_lo": %d, "slope_hi": %d, "n": %d}\\n\' '
    '"$v" "$((v - 2))" "$((v + 3))" "$((a + b + c))" > "$4/fit.json"\n')
open(os.path.join(root, "plot.sh"), "w").write(
    'echo \'<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20">'
    '<circle cx="10" cy="10" r="8"/></svg>\' > "$1/plot.svg"\n')
for a in range(10):
    for b in range(10):
        for c in range(10):
            with open(os.path.join(root, "universes", f"u{a}{b}{c}.yaml"), "w") as f:
                f.write(f"decisions: {{a: a{a}, b: b{b}, c: c{c}}}\n")
PY

"$lc" run -C "$work/project" >/dev/null
"$lc" status -C "$work/project" >/dev/null  # warms the OS cache
status=() report=()
for _ in 1 2 3; do
  status+=("$(time_ms "$lc" status -C "$work/project")")
  report+=("$(time_ms "$lc" report -C "$work/project" -o "$work/report.html")")
done
s=$(median "${status[@]}")
r=$(median "${report[@]}")
bytes=$(stat -c %s "$work/report.html")
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "lc report over 10,000 outputs (1,000 universes x 10): $(secs "$r") s, $(ratio "$r" "$s")x lc status ($(secs "$s") s; aim <= 3x);" \
  "page $(awk -v b="$bytes" 'BEGIN { printf "%.2f", b / 1e6 }') MB (aim <= 5 MB)" \
  "(medians of 3 warm runs: report ${report[*]} ms, status ${status[*]} ms)"
