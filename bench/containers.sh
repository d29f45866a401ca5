#!/usr/bin/env bash
# What running recipes in a container costs: 40 trivial tasks (`true`) declaring a FROM-scratch
# busybox image, run by `lc run -j 2` in the image (podman) against the same tasks with
# `--runtime none` (on the host), and bare `podman run --rm` of the same image 40 times, two at a
# time, against `sh -c true`. Needs podman and busybox-static (as .ci/run installs them).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
image=""
trap 'rm -rf "$work"; [[ -z "$image" ]] || podman rmi -f "$image" >/dev/null 2>&1 || true' EXIT

mkdir -p "$work/project/universes" "$work/project/image/bin"
cp /bin/busybox "$work/project/image/bin/busybox"
cp /bin/busybox "$work/project/image/bin/sh"
printf 'FROM scratch\nCOPY image/bin/ /bin/\n# %s\n' "$(date +%s%N)" > "$work/project/Containerfile"
python3 - "$work/project/astra.yaml" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("id: containers\ncontainer: Containerfile\noutputs:\n")
    for i in range(40):
        f.write(f'  - id: t{i:02d}\n    type: data\n    recipe: {{command: "true"}}\n')
PY
echo "{}" > "$work/project/universes/u.yaml"
"$lc" build -C "$work/project" >/dev/null
image=$("$lc" build -C "$work/project" | sed -n 's/^present \([^ ]*\) .*/\1/p')

in_image=()
on_host=()
bare_podman=()
bare_sh=()
for _ in 1 2 3; do
  rm -rf "$work/project/results" "$work/project/.lightcone"
  in_image+=("$(time_ms "$lc" run -C "$work/project" -j 2 --no-cache)")
  rm -rf "$work/project/results" "$work/project/.lightcone"
  on_host+=("$(time_ms "$lc" run -C "$work/project" -j 2 --no-cache --runtime none)")
  bare_podman+=("$(time_ms sh -c "seq 40 | xargs -P2 -I{} podman run --rm --pull=never $image true")")
  bare_sh+=("$(time_ms sh -c 'seq 40 | xargs -P2 -n1 sh -c true')")
done
i=$(median "${in_image[@]}")
h=$(median "${on_host[@]}")
p=$(median "${bare_podman[@]}")
s=$(median "${bare_sh[@]}")
echo "40 trivial tasks, -j 2: lc run in the image $(secs "$i") s, on the host (--runtime none)" \
  "$(secs "$h") s, ratio $(ratio "$i" "$h")x; per task in the image $(ratio "$((i - h))" 40000) s more"
echo "bare: 40 x podman run --rm, 2 at a time $(secs "$p") s; 40 x sh -c true $(secs "$s") s;" \
  "lc in the image / bare podman $(ratio "$i" "$p")x (medians of 3)"
