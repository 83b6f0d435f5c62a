#!/bin/sh
# Runs every in-VM test binary listed in /kml/tests.list (or in the list
# named by kml.tests= on the kernel command line) and frames each one's TAP
# output for the host runner (tests/runner/guest_log.hpp).
# The kernel runs marked programs at CPL 0: a ring-0 test must not SKIP.
export KML_REQUIRE_RING0=1
list=/kml/tests.list
read -r cmdline </proc/cmdline
for arg in $cmdline; do
	case $arg in
	kml.tests=*) list=/kml/${arg#kml.tests=} ;;
	esac
done
echo "KML-RUN-BEGIN"
kmemleak=/sys/kernel/debug/kmemleak
# Forget what boot left behind: only leaks made by the tests count.
if [ -w $kmemleak ]; then
	echo scan >$kmemleak
	echo clear >$kmemleak
fi
scanned=0
# Reports what the tests so far leaked. Lockdown refuses debugfs writes, so
# the scan runs before a test that locks the kernel down, and at the end
# when nothing did.
leak_scan() {
	[ $scanned = 0 ] && [ -w $kmemleak ] || return 0
	# An object is reported once it is older than 5 s and still unreferenced.
	sleep 6
	echo scan >$kmemleak && cat $kmemleak
	scanned=1
}
while read -r name; do
	case $name in
	*lockdown*) leak_scan ;;
	esac
	echo "KML-TEST-BEGIN $name"
	"/kml/tests/$name" 2>&1
	echo "KML-TEST-END $name exit=$?"
done <"$list"
leak_scan
echo "KML-RUN-END"
