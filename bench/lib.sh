# Shared helpers for the benchmarks: sourced, not run.
# shellcheck shell=bash
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
lc="$root/lc"

# now_ms: wall clock in milliseconds.
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# median of the arguments (integers).
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# time_ms CMD...: runs CMD, prints its wall time in ms; output goes to /dev/null.
time_ms() {
  local t0 t1
  t0=$(now_ms)
  "$@" >/dev/null 2>&1
  t1=$(now_ms)
  echo $((t1 - t0))
}

# ratio A B: A / B with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b == 0 ? 0 : a / b) }'; }

# secs MS: milliseconds as seconds with two decimals.
secs() { awk -v m="$1" 'BEGIN { printf "%.2f", m / 1000 }'; }

# Builds the CLI jar once, so no timing includes a build.
"$lc" --version >/dev/null

# machine: one line naming this machine and its load, to print beside every figure.
machine() {
  local model
  model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
  echo "machine: $(nproc) cores, ${model:-unknown CPU}, load $(cut -d' ' -f1-3 /proc/loadavg)"
}
