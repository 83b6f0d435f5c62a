#!/bin/sh
# Stands in for qemu-system-x86_64 in kml-vmrun's own tests: prints what a
# guest would print on its serial console in one scenario, then exits as
# QEMU does when the guest reboots with -no-reboot.
scenario=$1

tap_ok() {
	echo "KML-TEST-BEGIN $1"
	echo "TAP version 13"
	echo "1..2"
	echo "# Starting 2 tests from 1 test cases."
	echo "ok 1 kml.loads"
	echo "ok 2 kml.unloads"
	echo "# Totals: pass:2 fail:0 xfail:0 xpass:0 skip:0 error:0"
	echo "KML-TEST-END $1 exit=0"
}

echo "[    0.000000] Linux version 6.12.0 (fake)"
echo "KML-RUN-BEGIN"
case $scenario in
pass)
	tap_ok module_test
	;;
failing-test)
	echo "KML-TEST-BEGIN module_test"
	echo "1..2"
	echo "ok 1 kml.loads"
	echo "# module_test.c:42:unloads:Expected 0 (0) == ret (-16)"
	echo "not ok 2 kml.unloads"
	echo "KML-TEST-END module_test exit=1"
	;;
warn)
	tap_ok module_test
	echo "[    3.141592] ------------[ cut here ]------------"
	echo "[    3.141593] WARNING: CPU: 0 PID: 1 at kml/main.c:10 kml_init+0x1/0x2 [kml]"
	echo "[    3.141594] Call Trace:"
	;;
kasan)
	echo "[    2.000000] BUG: KASAN: slab-out-of-bounds in kml_init+0x10/0x20 [kml]"
	tap_ok module_test
	;;
missing-test)
	echo "KML-TEST-BEGIN module_test"
	echo "1..3"
	echo "ok 1 kml.loads"
	echo "ok 2 kml.unloads"
	echo "KML-TEST-END module_test exit=0"
	;;
missing-binary)
	tap_ok module_test
	;;
crash-mid-test)
	echo "KML-TEST-BEGIN module_test"
	echo "1..2"
	echo "ok 1 kml.loads"
	echo "[    4.000000] Kernel panic - not syncing: Fatal exception"
	exit 0
	;;
hang)
	echo "KML-TEST-BEGIN module_test"
	echo "1..2"
	exec sleep 600
	;;
host-request)
	# A guest that asks for a machine check; the monitor the runner gave
	# us (-chardev pipe,...,path=P) must receive exactly one command.
	path=
	for arg in "$@"; do
		case $arg in
		pipe,*path=*) path=${arg##*path=} ;;
		esac
	done
	tap_ok module_test
	echo "KML-HOST-REQUEST mce 1 1 0xb000000000000000 0x4 0 0"
	if [ -n "$path" ]; then
		printf '(qemu) ' >"$path.out"
		read -r cmd <"$path.in"
		echo "fake-monitor: got '$cmd'"
		printf '(qemu) ' >"$path.out"
	fi
	;;
bad-host-request)
	tap_ok module_test
	echo "KML-HOST-REQUEST system_reset"
	;;
no-poweroff)
	tap_ok module_test
	echo "KML-RUN-END"
	exec sleep 600
	;;
esac
echo "KML-RUN-END"
exit 0
