#!/usr/bin/env bash
# What the Snakemake substrate costs on top of Snakemake, and against the local substrate.
#
#   bench/snakemake.sh              (BENCH_SIZES="100 1000 5000" BENCH_RUN_TASKS=200 BENCH_REPS=3)
#
# 1. Planning, for projects of 100, 1,000 and 5,000 trivial tasks (5 outputs per universe, a chain
#    and a fan): wall time of `lc plan`, of `snakemake -n` on the Snakefile Lightcone generated for
#    the same plan, and of `lc plan --substrate snakemake` (Lightcone's plan, then snakemake's dry
#    run), with the ratios.
# 2. Running 200 trivial tasks: wall time of `lc run` (local), `lc run --substrate snakemake`, and,
#    as baselines, bare snakemake running the same recipes straight from a hand-written Snakefile
#    (no Lightcone at all), and snakemake running Lightcone's generated Snakefile without lc.
#
# Median of BENCH_REPS runs for the plans, one run each for the executions (they dominate). Uses
# ./lc (LC=... to use another launcher) and the snakemake on PATH (or LIGHTCONE_SNAKEMAKE).
set -euo pipefail

source "$(dirname "$0")/lib.sh"
lc="${LC:-$lc}"
snakemake="${LIGHTCONE_SNAKEMAKE:-$(command -v snakemake || true)}"
if [[ -z "$snakemake" ]]; then
  echo "bench/snakemake.sh: snakemake is not installed (apt-get install snakemake)" >&2
  exit 4
fi
sizes=(${BENCH_SIZES:-100 1000 5000})
run_tasks="${BENCH_RUN_TASKS:-200}"
reps="${BENCH_REPS:-3}"
cores="$(nproc)"
work="$(mktemp -d "${TMPDIR:-/tmp}/lc-bench-snakemake.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# A project of $2 tasks in directory $1: 5 outputs a universe, $2/5 universes.
make_project() {
  local dir="$1" tasks="$2" universes i
  universes=$(((tasks + 4) / 5))
  mkdir -p "$dir/universes"
  cat >"$dir/astra.yaml" <<'EOF'
id: bench
decisions:
  seed:
    label: Seed
    default: s0
    options: {s0: {label: S0}, s1: {label: S1}}
outputs:
  - id: a
    type: data
    decisions: [seed]
    recipe: {command: "echo {decisions.seed} > {output}/v"}
  - id: b
    type: data
    inputs: [a]
    recipe: {command: "cat {inputs.a}/v > {output}/v"}
  - id: c
    type: data
    inputs: [b]
    recipe: {command: "cat {inputs.b}/v > {output}/v"}
  - id: d
    type: data
    inputs: [a]
    recipe: {command: "cat {inputs.a}/v > {output}/v"}
  - id: e
    type: data
    inputs: [c, d]
    recipe: {command: "cat {inputs.c}/v {inputs.d}/v > {output}/v"}
EOF
  for ((i = 0; i < universes; i++)); do
    printf 'decisions: {seed: s%d}\n' $((i % 2)) >"$dir/universes/u$i.yaml"
  done
}

# Wall milliseconds of a command, which must succeed (its output is shown when it does not).
checked_ms() {
  local t0 t1
  t0=$(now_ms)
  if ! "$@" >"$work/last.log" 2>&1; then
    echo "bench/snakemake.sh: failed: $*" >&2
    cat "$work/last.log" >&2
    exit 1
  fi
  t1=$(now_ms)
  echo $((t1 - t0))
}

# Median wall milliseconds of $reps runs of a command.
median_ms() {
  local i times=()
  for ((i = 0; i < reps; i++)); do
    times+=("$(checked_ms "$@")")
  done
  median "${times[@]}"
}

dry_run() {
  "$snakemake" --snakefile "$1/.lightcone/Snakefile" --directory "$1" --cores "$cores" \
    --scheduler greedy --forceall --nolock --dry-run --quiet rules -- LIGHTCONE_TARGETS
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $cores cpus"
echo
echo "== planning: lc plan vs snakemake -n on the generated Snakefile (median of $reps) =="
printf '%8s %12s %16s %18s %16s %18s\n' tasks "lc plan s" "snakemake -n s" "lc plan / smk -n" \
  "lc plan --sub s" "lc plan --sub / smk"
for n in "${sizes[@]}"; do
  dir="$work/plan-$n"
  make_project "$dir" "$n"
  # Writes .lightcone/Snakefile and its sidecar for this plan (and warms the file cache).
  "$lc" plan -C "$dir" --substrate snakemake >/dev/null
  t_plan=$(median_ms "$lc" plan -C "$dir")
  t_dry=$(median_ms dry_run "$dir")
  t_both=$(median_ms "$lc" plan -C "$dir" --substrate snakemake)
  printf '%8d %12s %16s %18s %16s %18s\n' "$n" "$(secs "$t_plan")" "$(secs "$t_dry")" \
    "$(ratio "$t_plan" "$t_dry")" "$(secs "$t_both")" "$(ratio "$t_both" "$t_dry")"
done

echo
echo "== running $run_tasks trivial tasks (one run each, -j $cores) =="
local_dir="$work/run-local"
smk_dir="$work/run-snakemake"
gen_dir="$work/run-generated"
bare_dir="$work/run-bare"
for d in "$local_dir" "$smk_dir" "$gen_dir" "$bare_dir"; do
  make_project "$d" "$run_tasks"
done
t_local=$(checked_ms "$lc" run -C "$local_dir" -j "$cores")
t_smk=$(checked_ms "$lc" run -C "$smk_dir" -j "$cores" --substrate snakemake)

# snakemake alone on the generated Snakefile (its rules run `lc task run`): what lc run adds.
"$lc" plan -C "$gen_dir" --substrate snakemake >/dev/null
t_gen=$(checked_ms "$snakemake" --snakefile "$gen_dir/.lightcone/Snakefile" --directory "$gen_dir" \
  --cores "$cores" --scheduler greedy --forceall --nolock --keep-incomplete -- LIGHTCONE_TARGETS)

# Bare snakemake: the same DAG and recipes, no Lightcone (no manifests, no hashing, no JVM).
universes=$(((run_tasks + 4) / 5))
{
  echo "U = [f'u{i}' for i in range($universes)]"
  echo 'rule all:'
  echo '    input: expand("results/{u}/e/v", u=U)'
  echo 'rule a:'
  echo '    output: "results/{u}/a/v"'
  echo '    shell: "echo s > {output}"'
  echo 'rule b:'
  echo '    input: "results/{u}/a/v"'
  echo '    output: "results/{u}/b/v"'
  echo '    shell: "cat {input} > {output}"'
  echo 'rule c:'
  echo '    input: "results/{u}/b/v"'
  echo '    output: "results/{u}/c/v"'
  echo '    shell: "cat {input} > {output}"'
  echo 'rule d:'
  echo '    input: "results/{u}/a/v"'
  echo '    output: "results/{u}/d/v"'
  echo '    shell: "cat {input} > {output}"'
  echo 'rule e:'
  echo '    input: "results/{u}/c/v", "results/{u}/d/v"'
  echo '    output: "results/{u}/e/v"'
  echo '    shell: "cat {input} > {output}"'
} >"$bare_dir/Snakefile.bare"
t_bare=$(checked_ms "$snakemake" --snakefile "$bare_dir/Snakefile.bare" --directory "$bare_dir" \
  --cores "$cores" --scheduler greedy --nolock)

printf '%-52s %8s s\n' "lc run (local)" "$(secs "$t_local")"
printf '%-52s %8s s\n' "lc run --substrate snakemake" "$(secs "$t_smk")"
printf '%-52s %8s s\n' "snakemake on the generated Snakefile (no lc run)" "$(secs "$t_gen")"
printf '%-52s %8s s\n' "bare snakemake, same recipes, no Lightcone" "$(secs "$t_bare")"
echo
printf '%-52s %8s\n' "lc run --substrate snakemake / lc run" "$(ratio "$t_smk" "$t_local")"
printf '%-52s %8s\n' "lc run --substrate snakemake / generated Snakefile" "$(ratio "$t_smk" "$t_gen")"
printf '%-52s %8s\n' "lc run --substrate snakemake / bare snakemake" "$(ratio "$t_smk" "$t_bare")"
# What the ratio means for real recipes: the time lc adds per job and core (start-up included).
awk -v s="$t_smk" -v b="$t_bare" -v c="$cores" -v n="$run_tasks" 'BEGIN {
  ms = (s - b) * c / n
  printf "%-52s %8.1f ms (1%% of a %.1f s recipe)\n", "lc adds per job and core", ms, ms / 10
}'
