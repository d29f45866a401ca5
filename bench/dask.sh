#!/usr/bin/env bash
# bench/dask.sh: per-task overhead of N trivial tasks on LocalSubstrate, DaskSubstrate and
# Snakemake with Dask dispatch, in one run.
#
#   bench/dask.sh [N]      (default 500; needs mvn, java, python3-distributed, snakemake)
#
# Builds the command line, then, in a temporary directory removed at exit, writes a project with N
# outputs in one universe, each `echo 1 > {output}/v`, and times `lc run` on each substrate from a
# clean start (no results, no cache), wall clock, JVM start, planning and cluster start-up
# included. Every substrate gets this machine's cpus: LocalSubstrate one task per cpu, the local
# Dask cluster one worker with a thread per cpu, Snakemake as many jobs.
#
# On Dask each worker runs its tasks in one long-lived task runner (`lc task serve`, a JVM started
# on the worker's first task that loads the project once). To tell what the dispatch costs from
# what the runner costs, three more lines:
#   runner alone     one `lc task serve` given the N tasks' requests on stdin, no substrate at all:
#                    the runner's cost per task (JVM start and project load paid once);
#   plumbing alone   the N one-shot plumbing commands `lc task run` (a JVM each, as SLURM jobs and
#                    hand-run Snakefiles still use), run by `xargs -P <cpus>`;
#   dispatch only    the Dask runs again with the task runner replaced by a no-op
#                    (LIGHTCONE_LC = a script that answers each request at once).
# The Dask goal, <= 20 ms per task beyond the recipe, is about the dispatch: it is checked against
# the dispatch-only run.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
n="${1:-500}"
cpus="$(nproc)"

"$root/lc" --version >/dev/null # builds the jar when the sources changed
jar="$(ls -t "$root"/lightcone-cli/target/lightcone-cli-*-all.jar | head -1)"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/lightcone-bench-dask.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
project="$tmp/project"
mkdir -p "$project/universes"
{
  echo "id: bench"
  echo "outputs:"
  for i in $(seq -w 1 "$n"); do
    printf '  - id: t%s\n    type: data\n    recipe: {command: "echo 1 > {output}/v"}\n' "$i"
  done
} >"$project/astra.yaml"
echo "{}" >"$project/universes/u.yaml"

# The no-op runner: `lc task serve --project DIR ...` that answers each run request "succeeded" at
# once, after an empty output with a manifest file where snakemake looks for them
# (results/<universe>/<output> of this project).
noop="$tmp/noop-lc"
cat >"$noop" <<'EOF'
#!/usr/bin/python3 -I
import json, os, sys
project = sys.argv[sys.argv.index("--project") + 1]
for line in sys.stdin:
    r = json.loads(line)
    if r.get("op") != "run":
        continue
    out = os.path.join(project, "results", r["task"])
    os.makedirs(out, exist_ok=True)
    open(os.path.join(out, ".lightcone-manifest.json"), "w").close()
    print(json.dumps({"protocol": 1, "id": r["id"], "task": r["task"], "outcome": "succeeded",
                      "exit_code": 0, "detail": "", "log": None, "seconds": 0.0, "attempts": 1,
                      "warnings": []}), flush=True)
EOF
chmod +x "$noop"

clean() {
  rm -rf "$project/results" "$project/.lightcone"
}

seconds() { # runs "$@" from a clean project, output to $tmp/last.log; prints wall seconds
  local start end status=0
  clean
  start=$(date +%s%N)
  "$@" >"$tmp/last.log" 2>&1 || status=$?
  end=$(date +%s%N)
  # With the no-op plumbing nothing is recorded: snakemake's substrate then reports every task
  # failed although snakemake ran them all; what counts there is that it did.
  if [[ $status != 0 ]] && ! grep -q "($n of $n steps\|$((n + 1)) of $((n + 1)) steps (100%) done" \
    "$project/.lightcone/logs/snakemake.log" 2>/dev/null; then
    echo "failed: $*" >&2
    tail -20 "$tmp/last.log" >&2
    exit 1
  fi
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f\n", (e - s) / 1e9 }'
}

lc() {
  "$java" -jar "$jar" "$@"
}

plumbing_alone() { # the plumbing commands of every task, xargs -P cpus, no substrate
  lc plan -C "$project" --json |
    python3 -c 'import json, sys
for t in json.load(sys.stdin)["tasks"]:
    print(t["id"], t["code_version"])' |
    xargs -P "$cpus" -L 1 sh -c '"$0" -cp "$1" io.lightcone.cli.Main task run --project "$2" "$3" --expect-code-version "$4" --substrate dask >/dev/null' \
      "$java" "$jar" "$project"
}

runner_alone() { # one lc task serve, every task's request on stdin, no substrate
  lc plan -C "$project" --json |
    python3 -c 'import json, sys
for t in json.load(sys.stdin)["tasks"]:
    print(json.dumps({"protocol": 1, "op": "run", "id": t["id"], "task": t["id"],
                      "code_version": t["code_version"]}))' >"$tmp/requests"
  # The runner ends (cancelling what runs) when its stdin ends: keep it open until every answer.
  python3 -I - "$java" "$jar" "$project" "$tmp/requests" <<'EOF'
import json, subprocess, sys
java, jar, project, requests = sys.argv[1:]
lines = open(requests).read().splitlines()
p = subprocess.Popen([java, "-jar", jar, "task", "serve", "--project", project, "--substrate", "dask"],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
p.stdin.write("".join(l + "\n" for l in lines).encode())
p.stdin.flush()
ok = sum(json.loads(p.stdout.readline()).get("outcome") == "succeeded" for _ in lines)
p.stdin.close()
p.wait()
sys.exit(0 if ok == len(lines) else 1)
EOF
}

echo "$n tasks (echo 1 > {output}/v), $cpus cpus ($(sed -n "s/^model name[[:space:]]*: //p" /proc/cpuinfo | head -1)), $(uptime | sed 's/.*load average/load average/')" >&2
# The runs that are compared with each other run back to back: other work on the machine comes
# and goes, and a JVM per task makes these runs long.
echo "timing local ..." >&2
t_local=$(seconds lc run -C "$project" --substrate local)
echo "timing dask, then the plumbing commands alone ..." >&2
t_dask=$(seconds lc run -C "$project" --substrate dask)
t_runner=$(seconds runner_alone)
t_plumb=$(seconds plumbing_alone)
echo "timing dispatch only ..." >&2
t_dask_noop=$(seconds env LIGHTCONE_LC="$noop" "$java" -jar "$jar" run -C "$project" --substrate dask)
t_smk_noop=$(seconds env LIGHTCONE_LC="$noop" "$java" -jar "$jar" run -C "$project" --substrate snakemake --dispatch dask)
echo "timing snakemake + dask ..." >&2
t_smk=$(seconds lc run -C "$project" --substrate snakemake --dispatch dask)

awk -v n="$n" -v l="$t_local" -v d="$t_dask" -v s="$t_smk" -v p="$t_plumb" -v r="$t_runner" \
  -v dn="$t_dask_noop" -v sn="$t_smk_noop" 'BEGIN {
  printf "%-44s %9s %12s %10s\n", "", "seconds", "ms per task", "vs local"
  printf "%-44s %9.2f %12.1f %9.1fx\n", "local (LocalSubstrate, in-process runner)", l, l * 1000 / n, 1
  printf "%-44s %9.2f %12.1f %9.1fx\n", "dask (DaskSubstrate, local cluster)", d, d * 1000 / n, d / l
  printf "%-44s %9.2f %12.1f %9.1fx\n", "snakemake + dask dispatch", s, s * 1000 / n, s / l
  printf "%-44s %9.2f %12.1f %9.1fx\n", "runner alone (one lc task serve, N requests)", r, r * 1000 / n, r / l
  printf "%-44s %9.2f %12.1f %9.1fx\n", "plumbing alone (lc task run, xargs -P)", p, p * 1000 / n, p / l
  printf "%-44s %9.2f %12.1f %9.1fx\n", "dask, dispatch only (no-op plumbing)", dn, dn * 1000 / n, dn / l
  printf "%-44s %9.2f %12.1f %9.1fx\n", "snakemake + dask, dispatch only", sn, sn * 1000 / n, sn / l
  printf "\nthe task runner: %.1f ms per task (one lc task serve, project loaded once; lc task run: %.1f ms)\n", r * 1000 / n, p * 1000 / n
  printf "dispatch only: %.1f ms per task (goal <= 20 ms)\n", dn * 1000 / n
  printf "ratios: dask / local = %.1f (goal <= 2), snakemake+dask / local = %.1f (goal <= 3), snakemake+dask / dask = %.2f\n", d / l, s / l, s / d
}'
