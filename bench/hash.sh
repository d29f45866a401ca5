#!/usr/bin/env bash
# bench/hash.sh: data_version (2 threads) against sha256sum over the same bytes.
#
#   bench/hash.sh           (from any directory; needs mvn, java and GNU coreutils)
#
# Builds core, then, in a temporary directory removed at exit, writes a 1 GiB file and a tree of
# 10,000 files of 1-16 KiB in 100 directories (fixed seed). Each side gets warm-up runs, then 3
# timed runs; the median counts. ratio = sha256sum time / lightcone time, so above 1 is faster.
# Lightcone's first run in a fresh JVM, with the JIT cold, is printed too.
#
# How each side is run: Lightcone through HashBench, a small main among core's test classes (no
# plumbing in the product), timed inside its JVM, so JVM start-up and JIT warm-up are not counted;
# sha256sum as the process it is (find + xargs for the tree). The JIT needs a few runs over 10k
# files to finish compiling, so Lightcone gets 5 warm-up runs, sha256sum one. Both read from a warm
# page cache: dropping it needs root, so neither side gets a cold read. BENCH_BIG_MIB and BENCH_FILES shrink
# the data for a quick try.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
big_mib="${BENCH_BIG_MIB:-1024}"
files="${BENCH_FILES:-10000}"
threads=2
reps=3

echo "building lightcone-core (mvn package, tests skipped) ..." >&2
(cd "$root" && mvn -B -q -DskipTests -Dspotless.check.skip=true -pl lightcone-api,lightcone-core -am package) >&2
classpath="$root/lightcone-core/target/classes:$root/lightcone-core/target/test-classes"

hashbench() {
  java -cp "$classpath" io.lightcone.core.internal.hash.HashBench "$@"
}

tmp="$(mktemp -d "${TMPDIR:-/tmp}/lightcone-bench.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/big" "$tmp/small"

echo "writing ${big_mib} MiB and ${files} small files under $tmp ..." >&2
hashbench file "$tmp/big/data.bin" "$big_mib" 42
hashbench tree "$tmp/small" "$files" 42

median() {
  sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

seconds() { # one run of "$@", output discarded
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null
  end=$(date +%s%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f\n", (e - s) / 1e9 }'
}

sha_big() {
  sha256sum "$tmp/big/data.bin"
}

sha_small() {
  (cd "$tmp/small" && find . -type f -print0 | xargs -0 sha256sum)
}

compare() { # label, goal, directory for lightcone, sha256sum function
  local label="$1" goal="$2" dir="$3" sha="$4" lc_s sha_s runs first
  runs=$(hashbench time "$dir" "$threads" "$((5 + reps))")
  first=$(head -n1 <<<"$runs")
  lc_s=$(tail -n "$reps" <<<"$runs" | median)
  "$sha" >/dev/null
  sha_s=$(for _ in $(seq "$reps"); do seconds "$sha"; done | median)
  awk -v l="$label" -v a="$lc_s" -v b="$sha_s" -v g="$goal" -v f="$first" 'BEGIN {
    printf "%s: lightcone %.2f s, sha256sum %.2f s, ratio %.1fx (goal >= %sx); ", l, a, b, b / a, g
    printf "first run in a fresh JVM %.2f s, ratio %.1fx\n", f, b / f
  }'
}

echo "data_version with $threads threads against sha256sum; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); median of $reps after warm-up runs (lightcone 5, sha256sum 1)"
echo "page cache: warm for both sides (dropping it needs root), so these are hashing, not disk, speeds"
if ((big_mib % 1024 == 0)); then big_label="$((big_mib / 1024)) GiB"; else big_label="$big_mib MiB"; fi
compare "big file $big_label" 0.9 "$tmp/big" sha_big
compare "$((files / 1000))k small files" 1.5 "$tmp/small" sha_small
