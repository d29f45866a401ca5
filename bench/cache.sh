#!/usr/bin/env bash
# The content-addressed cache (DESIGN §7), measured with ./lc:
#  1. restoring a 1 GiB output of 64 files from the cache vs re-running a recipe that copies the
#     same bytes (cp). Both include JVM start, planning and hashing the output for its manifest;
#     the data are random, so zstd cannot shrink them and the restore pays full decompression.
#  2. store size vs logical size on compressible CSV data (~200 MB of numbers).
#  3. disk: a multiverse of $UNIVERSES (1,000) universes sharing one 100 MB upstream: the bytes it
#     takes (results + cache) and which link type the cache placed it with. As root with
#     mkfs.xfs (apt-get install xfsprogs), on an XFS loop image with reflinks; otherwise where
#     $TMPDIR is, with the copy fallback and 20 universes (a copy each: 1,000 would need 100 GB).
# Medians of 3. Needs ~4 GiB of free space under $TMPDIR. SECTIONS="1 3" runs only those.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
mnt=""
cleanup() {
  if [[ -n "$mnt" ]]; then umount -l "$mnt" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
sections=" ${SECTIONS:-1 2 3} "
echo "machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "load $(cut -d' ' -f1-3 /proc/loadavg), $work on $(df -T "$work" | awk 'NR==2 {print $2}')"

# --- 1. restore vs re-run -------------------------------------------------------------------
if [[ "$sections" == *" 1 "* ]]; then
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
fi

# --- 2. compressible CSV: stored vs logical ---------------------------------------------------
if [[ "$sections" == *" 2 "* ]]; then
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
fi

# --- 3. disk: one 100 MB upstream shared by every universe ------------------------------------
if [[ "$sections" == *" 3 "* ]]; then
if [[ "$(id -u)" == 0 ]] && command -v mkfs.xfs >/dev/null 2>&1; then
  n=${UNIVERSES:-1000}
  truncate -s 3G "$work/xfs.img"
  mkfs.xfs -q -m reflink=1 "$work/xfs.img"
  mnt="$work/xfs"
  mkdir "$mnt"
  mount -o loop "$work/xfs.img" "$mnt"
  m="$mnt"
  where="an XFS loop image with reflink=1"
else
  n=${UNIVERSES:-20}
  m="$work/mv"
  mkdir "$m"
  where="$(df -T "$work" | awk 'NR==2 {print $2}') under \$TMPDIR (not root, or no mkfs.xfs: no reflink test)"
fi
p="$m/p"
mkdir -p "$p"
{
  echo "id: shared"
  echo "decisions:"
  echo "  k:"
  echo "    label: K"
  echo "    options:"
  for i in $(seq 1 "$n"); do echo "      o$i: {label: O$i}"; done
  cat <<'YAML'
outputs:
  - id: upstream
    type: data
    recipe:
      command: "head -c 100000000 /dev/urandom > {output}/u.bin"
  - id: pick
    type: data
    inputs: [upstream]
    decisions: [k]
    recipe:
      command: "echo {decisions.k} > {output}/k"
YAML
} >"$p/astra.yaml"
used() { df -B1 --output=used "$1" | tail -1 | tr -d ' '; }
before=$(used "$m")
t0=$(now_ms)
"$lc" run -C "$p" --multiverse -j 2 >"$work/mv.log" 2>&1 || { tail -20 "$work/mv.log" >&2; exit 1; }
t1=$(now_ms)
after=$(used "$m")
stats=$("$lc" cache stats --json -C "$p")
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])" <<<"$stats"; }
reflinked=$(field reflinked_bytes)
hardlinked=$(field hardlinked_bytes)
if ((reflinked > 0)); then link=reflink; elif ((hardlinked > 0)); then link=hardlink; else link=copy; fi
du_kib=$(du -sk "$p/results" "$p/.lightcone/cache" | awk '{s += $1} END {print s}')
upstreams=$(find "$p/results" -path '*/upstream/u.bin' | wc -l)
echo "$n universes sharing one 100 MB upstream, on $where ($(secs $((t1 - t0))) s):"
echo "  link type placed: $link ($upstreams copies of the upstream in results/)"
# Everything but the upstream's bytes (manifests, logs, the pick outputs, cache entries): files
# that share nothing, so du counts them right.
other_kib=$(du -sk --exclude=u.bin --exclude='*.raw' "$p/results" "$p/.lightcone" |
  awk '{s += $1} END {print s}')
upstream_bytes=$((after - before - other_kib * 1024))
echo "  file system space used by the run: $(((after - before) / 1000000)) MB, of which" \
  "$((other_kib * 1024 / 1000000)) MB are manifests, logs, small outputs and cache entries"
echo "  space used for the upstream (100 MB): $((upstream_bytes / 1000000)) MB" \
  "($(ratio "$upstream_bytes" 100000000) x 100 MB; goal <= 1.1 with reflinks)"
echo "  du of results + cache: $((du_kib / 1000)) MB (du counts each reflinked file whole; it" \
  "cannot see shared extents)"
fi
