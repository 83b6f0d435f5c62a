#!/usr/bin/env bash
# The VM's dynamic programs (docs/dynamic.md): Debian's own redis and nginx,
# unmodified, with their library closure, and kml's library directory.
#
#   dynroot.sh OUT KML KEY CERT
#
# OUT becomes a tree that mkimage.sh copies into the VM's root:
#   usr/bin, usr/sbin     redis-server, redis-cli, redis-benchmark, nginx,
#                         ab: the binaries of Debian's packages, downloaded
#                         (apt-get download) and unpacked, never installed
#                         (their maintainer scripts would start services);
#                         perf and trace-cmd, this host's (docs/tracing.md)
#   lib/x86_64-linux-gnu, lib64
#                         the libraries they need, copied from this Debian
#                         host (scripts/deps.sh installs those packages),
#                         and the system's own ld.so and libc for ring 3
#   usr/lib/kml           ld-linux-x86-64.so.2 and libc.so.6 rewritten by
#                         KML (kml rewrite), signed with KEY/CERT as trusted;
#                         servers.list, a signed approval list of every other
#                         file above (kml sign --list)
#
# The downloaded packages are kept in DEBS_DIR (default OUT/../debs), so a
# rebuild needs no network.
set -euo pipefail
out=$1 kml=$2 key=$3 cert=$4
debs=${DEBS_DIR:-$(dirname "$out")/debs}
packages=(redis-tools redis-server nginx nginx-common apache2-utils)
# binary in its package tree -> where it goes in the VM
binaries=(
	usr/bin/redis-check-rdb:usr/bin/redis-server
	usr/bin/redis-cli:usr/bin/redis-cli
	usr/bin/redis-benchmark:usr/bin/redis-benchmark
	usr/sbin/nginx:usr/sbin/nginx
	usr/bin/ab:usr/bin/ab
)
libdir=lib/x86_64-linux-gnu

die() { echo "dynroot: $*" >&2; exit 1; }
[ -x "$kml" ] || die "$kml missing: run 'make host-tools'"
if [ ! -f "$key" ] || [ ! -f "$cert" ]; then die "$key or $cert missing: run 'make kernel'"; fi

mkdir -p "$debs"
updated=no
for p in "${packages[@]}"; do
	compgen -G "$debs/${p}_*.deb" >/dev/null && continue
	echo "  DEB     $p"
	if ! (cd "$debs" && apt-get download -qq "$p" 2>/dev/null); then
		# Package lists may be missing (a machine that had every
		# dependency already): refresh them once, as root, and retry.
		if [ $updated = no ] && [ "$(id -u)" = 0 ]; then
			apt-get update -qq && updated=yes
		fi
		(cd "$debs" && apt-get download -qq "$p" 2>/dev/null) ||
			die "cannot download the $p package: is a Debian mirror reachable (apt-get update)?"
	fi
done

stage=$(mktemp -d "${out%/*}/dynroot-stage.XXXXXX")
tmp="$out.tmp"
trap 'rm -rf "$stage" "$tmp"' EXIT
rm -rf "$tmp"
for deb in "$debs"/*.deb; do
	dpkg-deb -x "$deb" "$stage"
done
mkdir -p "$tmp"/{usr/bin,usr/sbin,$libdir,lib64,usr/lib/kml,etc/nginx}
for pair in "${binaries[@]}"; do
	install -m 0755 "$stage/${pair%%:*}" "$tmp/${pair#*:}"
done
install -m 0644 "$stage/etc/nginx/mime.types" "$tmp/etc/nginx/"
# nginx looks its worker user up: glibc's built-in files module, no other.
printf 'passwd: files\ngroup: files\nhosts: files\n' >"$tmp/etc/nsswitch.conf"

# The closure, as this host's loader resolves it.
declare -A libs=()
for pair in "${binaries[@]}"; do
	bin=$tmp/${pair#*:}
	missing=$(ldd "$bin" | awk '/not found/ { print $1 }')
	[ -z "$missing" ] || die "${pair#*:} needs $missing: add its package to scripts/deps.sh"
	while read -r path; do
		libs[$path]=1
	done < <(ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }')
done
for path in "${!libs[@]}"; do
	install -m 0644 "$path" "$tmp/$libdir/${path##*/}"
done
install -m 0755 /lib64/ld-linux-x86-64.so.2 "$tmp/lib64/"
install -m 0644 /$libdir/libc.so.6 "$tmp/$libdir/"

# kml's loader and libc: rewritten (each site a direct entry at CPL 0, hlt
# a trap) and signed; the loader is what `kml run --ring0` execs.
sign=(--assurance trusted --key "$key" --cert "$cert")
for f in ld-linux-x86-64.so.2:/lib64 libc.so.6:/$libdir; do
	name=${f%%:*}
	"$kml" rewrite "${f#*:}/$name" -o "$tmp/usr/lib/kml/$name" --quiet
	"$kml" sign "$tmp/usr/lib/kml/$name" "${sign[@]}" >/dev/null
done
# An attack probe: a library signed as one, which exec must refuse
# (tests/vm/kml_dynamic_test.c; source in tests/vm/dynamic/).
top=$(cd "$(dirname "$0")/.." && pwd)
gcc -O1 -shared -fPIC -nostdlib -Wl,-soname,libkmlprobe.so -Wl,-e,probe_entry \
	-o "$stage/libkmlprobe.so" "$top/tests/vm/dynamic/library_probe.c"
"$kml" rewrite "$stage/libkmlprobe.so" -o "$tmp/usr/lib/kml/libkmlprobe.so" --quiet
chmod 0755 "$tmp/usr/lib/kml/libkmlprobe.so"
"$kml" sign "$tmp/usr/lib/kml/libkmlprobe.so" "${sign[@]}" >/dev/null
# Everything else a ring-0 run maps executable, approved by digest: the
# programs and the libraries but libc (kml's replaces it).
approved=("$tmp"/usr/bin/* "$tmp"/usr/sbin/*)
for f in "$tmp/$libdir"/*; do
	[ "${f##*/}" = libc.so.6 ] || approved+=("$f")
done
"$kml" sign --list "$tmp/usr/lib/kml/servers.list" "${approved[@]}" "${sign[@]}" >/dev/null

# The tracing tools docs/tracing.md and docs/tutorial.md use in the VM:
# this host's perf and trace-cmd (scripts/deps.sh installs them) and what
# they need beyond the servers' libraries. Added after servers.list: no
# ring-0 program maps them.
for bin in /usr/bin/perf /usr/bin/trace-cmd; do
	[ -x "$bin" ] || die "$bin missing: run scripts/deps.sh"
	install -m 0755 "$bin" "$tmp/usr/bin/"
	missing=$(ldd "$bin" | awk '/not found/ { print $1 }')
	[ -z "$missing" ] || die "$bin needs $missing: add its package to scripts/deps.sh"
	while read -r path; do
		[ -e "$tmp/$libdir/${path##*/}" ] ||
			install -m 0644 "$path" "$tmp/$libdir/${path##*/}"
	done < <(ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }')
done

rm -rf "$out"
mv "$tmp" "$out"
echo "  DYNROOT $out ($(du -sh "$out" | cut -f1))"
