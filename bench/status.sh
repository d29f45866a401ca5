#!/usr/bin/env bash
# `lc status` over 10,000 outputs (1,000 universes x 10 outputs, all made), warm: the second and
# later calls, when the OS has the manifests cached. Goal: <= 1 s.
#
# Every recipe names two of 20 code files (src/c*.sh), so the status also hashes code files
# (issue 14: each once per command). Baseline: the same status by the `lc` of BASELINE_REF (default
# main; BASELINE_REF= skips it), built from `git archive` in a temporary directory, over the same
# manifests (it ignores their code_files); goal: this checkout <= 1.2x the baseline.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work/project" <<'PY'
import os, sys
root = sys.argv[1]
os.makedirs(os.path.join(root, "universes"))
os.makedirs(os.path.join(root, "src"))
for c in range(20):
    open(os.path.join(root, "src", f"c{c:02d}.sh"), "w").write(f"# code file {c}\n" * 50)
lines = ["id: status", "inputs:", "  - id: raw", "    type: data", "    source: raw.txt",
         "decisions:", "  k:", "    label: K", "    options:"]
lines += [f'      k{o}: {{label: "{o}"}}' for o in range(1000)]
lines.append("outputs:")
for i in range(10):
    inputs = f"[o{i - 1}]" if i else "[raw]"
    code = f"src/c{2 * i:02d}.sh src/c{2 * i + 1:02d}.sh"
    lines.append(f"  - id: o{i}\n    type: data\n    inputs: {inputs}\n    decisions: [k]\n"
                 f'    recipe: {{command: "cat {code} >/dev/null; echo {{decisions.k}} > {{output}}/v"}}')
open(os.path.join(root, "astra.yaml"), "w").write("\n".join(lines) + "\n")
open(os.path.join(root, "raw.txt"), "w").write("raw\n")
for u in range(1000):
    with open(os.path.join(root, "universes", f"u{u:04d}.yaml"), "w") as f:
        f.write(f"decisions: {{k: k{u}}}\n")
PY

# The baseline's lc, built once from BASELINE_REF (its ./lc builds its own jar on first use).
baseline_ref="${BASELINE_REF-main}"
baseline=""
if [[ -n "$baseline_ref" ]] && git -C "$root" rev-parse --verify -q "$baseline_ref^{commit}" >/dev/null; then
  mkdir "$work/baseline"
  git -C "$root" archive "$baseline_ref" | tar -x -C "$work/baseline"
  if "$work/baseline/lc" --version >/dev/null 2>"$work/baseline-build.log"; then
    baseline="$work/baseline/lc"
  else
    echo "baseline $baseline_ref did not build (see its log above); no ratio" >&2
    cat "$work/baseline-build.log" >&2
  fi
fi

"$lc" run -C "$work/project" >/dev/null
ok=$("$lc" status -C "$work/project" --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(sum(o["status"]=="ok" for u in d["universes"] for o in u["outputs"]))')
code=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["code_files"]))' \
  "$work/project/results/u0000/o0/.lightcone-manifest.json")

# Alternate the two, three warm runs each, so that a change of load hits both alike.
"$lc" status -C "$work/project" >/dev/null  # warms the OS cache
[[ -n "$baseline" ]] && "$baseline" status -C "$work/project" >/dev/null
runs=()
base=()
full=()
for _ in 1 2 3; do
  runs+=("$(time_ms "$lc" status -C "$work/project" --json)")
  [[ -n "$baseline" ]] && base+=("$(time_ms "$baseline" status -C "$work/project" --json)")
  # The same command with the full JIT: does ./lc's C1-only start-up flag for status pay?
  full+=("$(LC_JAVA_OPTS=-XX:TieredStopAtLevel=4 time_ms "$lc" status -C "$work/project" --json)")
done
m=$(median "${runs[@]}")
echo "lc status --json over $ok ok outputs (1,000 universes x 10, $code code files each, 20 in all):" \
  "$(secs "$m") s (median of 3 warm runs: ${runs[*]} ms; goal <= 1.00 s)"
f=$(median "${full[@]}")
echo "the same with the full JIT (LC_JAVA_OPTS=-XX:TieredStopAtLevel=4): $(secs "$f") s" \
  "(${full[*]} ms); ./lc's C1 flag / full JIT = $(ratio "$m" "$f") (the flag stays while < 0.90)"
if [[ -n "$baseline" ]]; then
  b=$(median "${base[@]}")
  echo "baseline ($baseline_ref, $(git -C "$root" rev-parse --short "$baseline_ref")): $(secs "$b") s" \
    "(${base[*]} ms); this checkout / baseline = $(ratio "$m" "$b") (goal <= 1.20)"
fi
echo "machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')," \
  "load $(cut -d' ' -f1-3 /proc/loadavg)"
