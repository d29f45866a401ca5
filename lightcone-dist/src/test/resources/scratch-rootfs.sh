#!/usr/bin/env bash
# scratch-rootfs.sh HOME ROOTFS: a root file system for a FROM-scratch image holding the unpacked
# jlink image HOME (at /opt/lightcone), a static busybox for sh and the few tools recipes and
# bin/lc use, bash, and exactly the shared libraries ldd finds for these: no Java, no package
# manager, nothing else.
set -euo pipefail
home=$1 rootfs=$2
mkdir -p "$rootfs"/{opt,bin,tmp,root,etc,usr/bin}
cp -a "$home" "$rootfs/opt/lightcone"
cp /bin/busybox "$rootfs/bin/busybox"
for tool in sh dirname readlink uname tr wc cat mkdir rm ls env; do
  ln -s busybox "$rootfs/bin/$tool"
done
ln -s ../../bin/busybox "$rootfs/usr/bin/env"   # bin/lc's #!/usr/bin/env bash
cp "$(command -v bash)" "$rootfs/bin/bash"
# zstd-jni's native library (the cache compresses with it) is unpacked from its jar at run time.
natives=$(mktemp -d)
trap 'rm -rf "$natives"' EXIT
python3 - "$natives" "$home"/lib/zstd-jni-*.jar <<'PY'
import sys, zipfile
for jar in sys.argv[2:]:
    z = zipfile.ZipFile(jar)
    for n in z.namelist():
        if n.startswith("linux/amd64/") or n.startswith("linux/aarch64/"):
            open(sys.argv[1] + "/" + n.replace("/", "_"), "wb").write(z.read(n))
PY
{
  ldd "$rootfs/bin/bash"
  find "$natives" -type f -exec ldd {} \; 2>/dev/null
  find "$rootfs/opt/lightcone/runtime" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec ldd {} \; 2>/dev/null
} | awk '/=> \// {print $3} /^[ \t]*\/[^ ]*ld-linux/ {print $1}' | sort -u | while read -r lib; do
  mkdir -p "$rootfs$(dirname "$lib")"
  cp -L "$lib" "$rootfs$lib"
done
# The C.UTF-8 locale bin/lc asks for (glibc's, when the machine has it).
if [[ -d /usr/lib/locale/C.utf8 ]]; then
  mkdir -p "$rootfs/usr/lib/locale"
  cp -a /usr/lib/locale/C.utf8 "$rootfs/usr/lib/locale/"
fi
# The loader is found at the path the binaries name (/lib64/ld-linux-x86-64.so.2 on x86-64).
echo 'root:x:0:0:root:/root:/bin/sh' > "$rootfs/etc/passwd"
