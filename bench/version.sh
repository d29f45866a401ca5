#!/usr/bin/env bash
# `lc --version` from the distribution archive (bin/lc of lightcone-<version>.tar.gz, unpacked in a
# temporary directory, on this machine's Java) against the baseline `java -jar` of the CLI's fat jar
# (lightcone-cli-<version>-all.jar), measured here by hyperfine. Goal: archive <= 1.3x baseline.
#
# Needs the archive: mvn -B -q -pl lightcone-dist -am package -DskipTests -Dspotless.check.skip=true
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# machine: the same line as bench/lib.sh prints (not sourced: it would build ./lc's jar).
machine() {
  local model
  model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
  echo "machine: $(nproc) cores, ${model:-unknown CPU}, load $(cut -d' ' -f1-3 /proc/loadavg)"
}
archive=$(ls -t "$root"/lightcone-dist/target/lightcone-*.tar.gz 2>/dev/null | grep -v -- '-linux-' | head -1 || true)
jar=$(ls -t "$root"/lightcone-cli/target/lightcone-cli-*-all.jar 2>/dev/null | head -1 || true)
if [[ -z "$archive" || -z "$jar" ]]; then
  echo "version.sh: build first: mvn -B -q -pl lightcone-dist -am package -DskipTests -Dspotless.check.skip=true" >&2
  exit 2
fi
command -v hyperfine >/dev/null || { echo "version.sh: hyperfine is needed (apt-get install hyperfine)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xzf "$archive" -C "$work"
lc=$(echo "$work"/lightcone-*/bin/lc)
cp "$jar" "$work/lc-all.jar"   # a copy: a build running meanwhile may rewrite target/
jar="$work/lc-all.jar"

hyperfine -N --warmup 3 --runs "${RUNS:-15}" --export-json "$work/h.json" \
  -n archive "$lc --version" -n baseline "java -jar $jar --version" >/dev/null
read -r archive_ms baseline_ms < <(python3 - "$work/h.json" <<'PY'
import json, sys
r = {x["command"]: x["median"] * 1000 for x in json.load(open(sys.argv[1]))["results"]}
print(round(r["archive"]), round(r["baseline"]))
PY
)
echo "lc --version, median of ${RUNS:-15}:"
echo "  archive  bin/lc --version:   ${archive_ms} ms"
echo "  baseline java -jar --version: ${baseline_ms} ms"
awk -v a="$archive_ms" -v b="$baseline_ms" 'BEGIN { printf "  ratio archive/baseline: %.2f (goal <= 1.30)\n", a / b }'
machine
