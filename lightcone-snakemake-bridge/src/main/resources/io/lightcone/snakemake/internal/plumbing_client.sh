# Lightcone's plumbing client, the shell of every rule of .lightcone/Snakefile, which sources it
# into the bash Snakemake starts for the job (so a job costs one bash, not two):
#
#   . plumbing_client.sh TASK_ID CODE_VERSION -- lc task run --project DIR TASK_ID ...
#   bash plumbing_client.sh TASK_ID CODE_VERSION -- ...     (the same, in a bash of its own)
#
# When the Lightcone process that runs this plan serves tasks (LIGHTCONE_PLUMBING is its loopback
# address, host:port, and LIGHTCONE_PLUMBING_TOKEN the secret it expects), the task runs there,
# through the same task runner as `lc task run`, without starting a JVM per task: one line out
# (`run TOKEN TASK_ID CODE_VERSION`), one line back (`exit N [outcome]`). When this process is
# killed (snakemake cancelled the job) the connection closes and Lightcone cancels the task.
# Otherwise (snakemake run by hand) it runs the plumbing command after `--` itself.
# Exits 0 when the task succeeded, 1 when it did not. Bash builtins only, and safe under Snakemake's
# `set -euo pipefail`.
task=${1-}
code_version=${2-}
if [ "${3-}" != "--" ] || [ $# -lt 4 ]; then
  echo "usage: plumbing_client.sh TASK_ID CODE_VERSION -- PLUMBING COMMAND..." >&2
  exit 2
fi
shift 3
address=${LIGHTCONE_PLUMBING-}
if [ -n "$address" ] && { exec 3<>"/dev/tcp/${address%:*}/${address##*:}"; } 2>/dev/null; then
  printf 'run %s %s %s\n' "${LIGHTCONE_PLUMBING_TOKEN-}" "$task" "$code_version" >&3
  if IFS=' ' read -r word code outcome <&3 && [ "$word" = exit ]; then
    if [ -n "$outcome" ]; then
      printf '%s\n' "$outcome"
    fi
    exit "$code"
  fi
  echo "lightcone: the process running the plan ended before $task did" >&2
  exit 1
fi
# That process is gone, or snakemake was run by hand: run the plumbing command.
exec "$@"
