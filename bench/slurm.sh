#!/usr/bin/env bash
# What `lc run --substrate slurm` costs on a real SLURM, against the queue itself and Snakemake.
#
#   bench/slurm.sh                 (BENCH_TASKS=200)
#
# On the same SLURM (.ci/slurm-single-node.sh gives one on this machine), in one run:
#   1. the floor: BENCH_TASKS `sbatch --wrap true` from a shell loop, until the queue is empty;
#   2. `lc run --substrate slurm` of BENCH_TASKS trivial tasks (chains of 5, as in
#      bench/snakemake.sh);
#   3. `snakemake --slurm` (built into Snakemake 7.21) on an equivalent Snakefile.
# For each: wall time, time per task beyond the floor, and the RPCs slurmctld served per task
# (sdiag's counts by message type, before and after; sdiag needs to be root or SlurmUser).
set -euo pipefail

source "$(dirname "$0")/lib.sh"
lc="${LC:-$lc}"
tasks="${BENCH_TASKS:-200}"
# Snakemake's SLURM executor reads $USER (a batch shell or container may not set it).
export USER="${USER:-$(id -un)}"
for c in sbatch squeue sdiag; do
  command -v "$c" >/dev/null || { echo "bench/slurm.sh: $c is not installed (SLURM)" >&2; exit 4; }
done
work="$(mktemp -d "${TMPDIR:-/tmp}/lc-bench-slurm.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# rpcs: the total of sdiag's RPC counts by message type.
rpcs() {
  sdiag | awk '/Remote Procedure Call statistics by message type/ {on=1; next}
               /Remote Procedure Call statistics by user/ {on=0}
               on && match($0, /count:[0-9]+/) {s += substr($0, RSTART + 6, RLENGTH - 6)}
               END {print s + 0}'
}

# wait_empty NAME: until no job named NAME is pending or running.
wait_empty() {
  while [[ -n "$(squeue --noheader --me --name="$1" --format=%i)" ]]; do sleep 0.2; done
}

# 1. The floor.
name="floor-$$"
r0=$(rpcs); t0=$(now_ms)
for ((i = 0; i < tasks; i++)); do
  sbatch --quiet --job-name="$name" --output=/dev/null --wrap true
done
wait_empty "$name"
floor_ms=$(( $(now_ms) - t0 )); floor_rpc=$(( $(rpcs) - r0 ))

# 2. lc.
project="$work/lc"
universes=$((tasks / 5))
mkdir -p "$project/universes"
cat >"$project/astra.yaml" <<'YAML'
id: bench
decisions:
  seed:
    label: Seed
    default: s0
    options: {s0: {label: S0}, s1: {label: S1}}
outputs:
  - id: a
    type: data
    format: txt
    decisions: [seed]
    recipe: {command: "echo {decisions.seed} > {output}/v"}
  - id: b
    type: data
    format: txt
    inputs: [a]
    recipe: {command: "cat {inputs.a}/v > {output}/v"}
  - id: c
    type: data
    format: txt
    inputs: [b]
    recipe: {command: "cat {inputs.b}/v > {output}/v"}
  - id: d
    type: data
    format: txt
    inputs: [c]
    recipe: {command: "cat {inputs.c}/v > {output}/v"}
  - id: e
    type: data
    format: txt
    inputs: [d]
    recipe: {command: "cat {inputs.d}/v > {output}/v"}
YAML
for ((u = 0; u < universes; u++)); do
  printf 'id: u%d\ndecisions:\n  seed: s%d\n' "$u" $((u % 2)) >"$project/universes/u$u.yaml"
done
r0=$(rpcs); t0=$(now_ms)
"$lc" run --substrate slurm --poll 1 --no-cache -C "$project" >"$work/lc.out" 2>&1 || {
  cat "$work/lc.out" >&2; exit 1; }
lc_ms=$(( $(now_ms) - t0 )); lc_rpc=$(( $(rpcs) - r0 ))

# 3. snakemake --slurm on the same work: 5-step chains, one per universe.
sm="$work/sm"
mkdir -p "$sm"
{
  echo "U = [f'u{i}' for i in range($universes)]"
  echo "rule all:"
  echo "    input: expand('out/{u}/e', u=U)"
  prev=""
  for step in a b c d e; do
    echo "rule $step:"
    [[ -n "$prev" ]] && echo "    input: 'out/{u}/$prev'"
    echo "    output: 'out/{u}/$step'"
    echo "    resources: mem_mb=100, runtime=5"
    if [[ -z "$prev" ]]; then
      echo "    shell: 'echo {wildcards.u} > {output}'"
    else
      echo "    shell: 'cat {input} > {output}'"
    fi
    prev=$step
  done
} >"$sm/Snakefile"
r0=$(rpcs); t0=$(now_ms)
sm_status=ok
(cd "$sm" && snakemake --slurm --jobs "$tasks" --latency-wait 30 >"$work/sm.out" 2>&1) || sm_status=failed
sm_ms=$(( $(now_ms) - t0 )); sm_rpc=$(( $(rpcs) - r0 ))

per() { awk -v a="$1" -v f="$2" -v n="$tasks" 'BEGIN { printf "%.1f", (a - f) / n }'; }
perrpc() { awk -v r="$1" -v n="$tasks" 'BEGIN { printf "%.1f", r / n }'; }
machine
echo "$tasks trivial tasks on $(sinfo --noheader --format=%D | head -1) SLURM node(s)"
printf '%-28s %8s %12s %16s %10s\n' "" "wall s" "vs floor" "ms/task > floor" "RPCs/task"
printf '%-28s %8s %12s %16s %10s\n' "sbatch --wrap true (floor)" "$(secs "$floor_ms")" "1.00" "0" "$(perrpc "$floor_rpc")"
printf '%-28s %8s %12s %16s %10s\n' "lc run --substrate slurm" "$(secs "$lc_ms")" "$(ratio "$lc_ms" "$floor_ms")" "$(per "$lc_ms" "$floor_ms")" "$(perrpc "$lc_rpc")"
printf '%-28s %8s %12s %16s %10s\n' "snakemake --slurm ($sm_status)" "$(secs "$sm_ms")" "$(ratio "$sm_ms" "$floor_ms")" "$(per "$sm_ms" "$floor_ms")" "$(perrpc "$sm_rpc")"
if [[ "$sm_status" != ok ]]; then
  echo "snakemake --slurm failed; its first errors and last lines:"
  grep -m 5 -i -E "error|failed|status of slurm job" "$work/sm.out" || true
  tail -3 "$work/sm.out"
  echo "(SLURM's MinJobAge: $(scontrol show config 2>/dev/null | sed -n 's/^MinJobAge *= *//p'); with"\
    "accounting off, Snakemake cannot read the state of a job scontrol has forgotten)"
fi
