#!/usr/bin/env bash
# Pack the kml VM's initramfs: busybox (Debian's busybox-static) with its
# applet links, /init and the guest scripts, kml.ko, the static kml tools
# and the in-VM test binaries.
#
#   mkimage.sh OUT.cpio.gz MODULE.ko TESTS_DIR TOOL...
#
# TESTS_DIR holds the test binaries, tests.list (their run order) and
# optionally payloads.list (programs the tests exec, not run alone); each
# TOOL is a static binary installed in /usr/bin.
set -euo pipefail
out=$1 module=$2 tests=$3
shift 3
top=$(cd "$(dirname "$0")/.." && pwd)
busybox=${BUSYBOX:-/bin/busybox}

die() { echo "mkimage: $*" >&2; exit 1; }
[ -x "$busybox" ] || die "$busybox missing: run 'make deps' (busybox-static)"
[ -f "$module" ] || die "$module missing: run 'make module'"
[ -f "$tests/tests.list" ] || die "$tests/tests.list missing: run 'make vm-tests'"

root=$(mktemp -d "${out%/*}/root.XXXXXX")
chmod 0755 "$root" # it becomes /: every user must be able to walk it
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,root,etc,kml/tests}
install -m 0755 "$busybox" "$root/bin/busybox"
# Applet links at the paths busybox itself names (bin/sh, usr/bin/awk...).
"$busybox" --list-full | while read -r applet; do
	[ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done
install -m 0755 "$top/scripts/guest/init" "$root/init"
install -m 0755 "$top/scripts/guest"/*.sh "$root/kml/"
install -m 0644 "$module" "$root/kml/kml.ko"
for t in "$@"; do
	install -m 0755 "$t" "$root/usr/bin/"
done
# Every test of every run list: tests.list (the main boot) and the other
# lists, chosen with kml.tests= at boot (subsets of it, or tests that need
# a boot of their own).
cat "$tests/tests.list" "$tests"/*-tests.list 2>/dev/null | sort -u |
	while read -r name; do
		install -m 0755 "$tests/$name" "$root/kml/tests/$name"
	done
install -m 0644 "$tests/tests.list" "$root/kml/tests.list"
for list in "$tests"/*-tests.list; do
	[ -f "$list" ] && install -m 0644 "$list" "$root/kml/"
done
# Modules only the tests load (TEST_MODULES: kml_verdict.ko, a stand-in
# for kml.ko), next to the tests.
for m in ${TEST_MODULES:-}; do
	[ -f "$m" ] || die "$m missing: run 'make test-module'"
	install -m 0644 "$m" "$root/kml/tests/"
done
# Programs the tests exec (installed, never run by themselves).
if [ -f "$tests/payloads.list" ]; then
	while read -r name; do
		install -m 0755 "$tests/$name" "$root/kml/tests/$name"
	done <"$tests/payloads.list"
fi
# The benchmark, if built: kml-bench marked disabled, enabled, and enabled
# with the bypass; kml-exec-bench and its programs.
if [ -n "${BENCH_DIR:-}" ]; then
	mkdir -p "$root/kml/bench"
	install -m 0755 "$BENCH_DIR"/kml-bench.ring3 "$BENCH_DIR"/kml-bench.ring0 \
		"$BENCH_DIR"/kml-bench.ring0bypass "$BENCH_DIR"/kml-exec-bench \
		"$BENCH_DIR"/exec-target-*m.ring3 "$BENCH_DIR"/exec-target-*m.unsigned \
		"$BENCH_DIR"/exec-target-*m.signed "$root/kml/bench/"
	# The server benchmark's client driver (make bench-server), if built.
	if [ -x "$BENCH_DIR/kml-server-bench" ]; then
		install -m 0755 "$BENCH_DIR/kml-server-bench" "$root/kml/bench/"
	fi
fi
# docs/tutorial.md's programs and their sources, if built.
if [ -n "${TUTORIAL_DIR:-}" ]; then
	mkdir -p "$root/kml/tutorial"
	cp -a "$TUTORIAL_DIR"/. "$root/kml/tutorial/"
fi
# Debian's redis and nginx, their libraries and kml's library directory
# (scripts/dynroot.sh), if built.
if [ -n "${DYNROOT:-}" ]; then
	cp -a "$DYNROOT"/. "$root/"
fi
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"

(cd "$root" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc -R 0:0 --quiet) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
echo "  IMAGE   $out ($(du -h "$out" | cut -f1))"
