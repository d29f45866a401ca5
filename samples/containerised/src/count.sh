#!/bin/sh
# Counts the words or bytes of the tokens; runs inside the sample's image, which alone has this
# file at /opt/sample/count.sh. Records which shell ran it: busybox's, in the image.
set -eu
unit="$1"
tokens="$2/tokens.txt"
out="$3"
case "$unit" in
  words) n=$(($(wc -w < "$tokens"))) ;;
  chars) n=$(($(wc -c < "$tokens"))) ;;
  *) echo "unknown unit $unit" >&2; exit 2 ;;
esac
shell=$(sh --help 2>&1 | head -n 1)
printf '{"unit": "%s", "count": %d, "shell": "%s"}\n' "$unit" "$n" "$shell" > "$out/count.json"
