#!/usr/bin/env bash
# The content-addressed cache (DESIGN §7), measured with ./lc:
#  1. restoring a 1 GiB output of 64 files from the cache vs re-running a recipe that copies the
#     same bytes (cp). Both include JVM start, planning and hashing the output for its manifest;
#     the data are random, so zstd cannot shrink them and the restore pays full decompression.
#  2. store size vs logical size on compressible CSV data (~200 MB of numbers).
# Medians of 3. Needs ~4 GiB of free space under $TMPDIR.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- 1. restore vs re-run -------------------------------------------------------------------
p="$work/big"
mkdir -p "$p/universes" "$p/data/big"
for i in $(seq -w 1 64); do
  head -c 16M /dev/urandom >"$p/data/big/part-$i.bin"
done
cat >"$p/astra.yaml" <<'YAML'
id: big
inputs:
  - id: big
    type: data
    source: data/big
outputs:
  - id: copy
    type: data
    inputs: [big]
    recipe:
      command: "cp -r {inputs.big}/. {output}/"
YAML
echo "id: only" >"$p/universes/only.yaml"
cache="$work/cache-big"

"$lc" run -C "$p" --cache "$cache" >/dev/null  # makes it once and stores it
rerun=() restore=()
for _ in 1 2 3; do
  rerun+=("$(time_ms "$lc" run -C "$p" --force-all --no-cache)")
  rm -rf "$p/results"
  restore+=("$(time_ms "$lc" run -C "$p" --cache "$cache")")
  "$lc" status -C "$p" | grep -q 'copy  *ok' || { echo "restore did not make copy ok" >&2; exit 1; }
done
rr=$(median "${rerun[@]}")
rs=$(median "${restore[@]}")
echo "1 GiB in 64 files (random bytes):"
echo "  re-run (cp recipe) : $(secs "$rr") s"
echo "  restore from cache : $(secs "$rs") s   (re-run / restore = $(ratio "$rr" "$rs")x)"
"$lc" cache stats -C "$p" --cache "$cache" | sed 's/^/  /'
rm -rf "$p" "$cache"

# --- 2. compressible CSV: stored vs logical ---------------------------------------------------
c="$work/csv"
mkdir -p "$c/universes"
python3 - "$c/data.csv" <<'PY'
import random, sys
random.seed(7)
with open(sys.argv[1], "w") as f:
    f.write("id,ra,dec,mag_v,mag_i,period_days\n")
    for i in range(3_000_000):
        f.write(f"{i},{random.uniform(0, 360):.6f},{random.uniform(-90, 90):.6f},"
                f"{random.gauss(15, 2):.3f},{random.gauss(14, 2):.3f},{random.lognormvariate(2, 0.5):.4f}\n")
PY
cat >"$c/astra.yaml" <<'YAML'
id: csv
inputs:
  - id: table
    type: data
    source: data.csv
outputs:
  - id: table_copy
    type: table
    inputs: [table]
    recipe:
      command: "cp {inputs.table} {output}/table.csv"
YAML
echo "id: only" >"$c/universes/only.yaml"
"$lc" run -C "$c" --cache "$work/cache-csv" >/dev/null
stats=$("$lc" cache stats --json -C "$c" --cache "$work/cache-csv")
stored=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["stored_bytes"])' <<<"$stats")
logical=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["logical_bytes"])' <<<"$stats")
echo "compressible CSV (3,000,000 rows):"
echo "  logical $((logical / 1048576)) MiB, stored $((stored / 1048576)) MiB" \
  "(stored / logical = $(ratio "$stored" "$logical"))"
