#!/usr/bin/env bash
# Boot the kml VM under QEMU.
#
#   vm.sh shell|demo|check|bench|bench-server KERNEL INITRD
#
# shell: interactive serial console (Ctrl-A X quits QEMU).
# demo:  runs the showcase; exits 0 only if the guest says it succeeded.
# check: runs the in-VM tests under kml-vmrun (VMRUN, LOG, EXPECT_LIST).
# Environment: ACCEL (tcg|kvm, default tcg), MEM (default 1G), SMP (2),
# KML_APPEND (extra kernel arguments), TIMEOUT (seconds, check/demo),
# QEMU_EXTRA (more QEMU options, e.g. -icount shift=0), CPU (the -cpu
# model, default max: under TCG an AMD one).
set -euo pipefail
mode=$1 kernel=$2 initrd=$3
accel=${ACCEL:-tcg}
# tsc=reliable: under TCG the TSC fails the clocksource watchdog and the
# kernel would time everything with 4 ms jiffies.
append="console=ttyS0 loglevel=5 panic=-1 pti=on tsc=reliable kml.mode=$mode ${KML_APPEND:-}"
read -ra qemu_extra <<<"${QEMU_EXTRA:-}"
qemu=(qemu-system-x86_64 -accel "$accel" "${qemu_extra[@]}" -cpu "${CPU:-max}" -smp "${SMP:-2}" -m "${MEM:-1G}"
	-kernel "$kernel" -initrd "$initrd" -append "$append" -no-reboot)
batch=(-display none -serial stdio -monitor none)

case $mode in
shell)
	exec "${qemu[@]}" -nographic
	;;
demo | bench | bench-server)
	log=${LOG:?LOG must name the guest log file}
	set +e
	timeout "${TIMEOUT:-300}" "${qemu[@]}" "${batch[@]}" </dev/null | tee "$log" |
		grep -v -E '^KML-(DEMO|BENCH)-END'
	set -e
	end=$(grep -a -E '^KML-(DEMO|BENCH)-END' "$log" | tr -d '\r' | tail -n 1)
	case $end in
	*status=0) exit 0 ;;
	"") echo "vm.sh: the guest never finished the $mode (timeout or crash); log: $log" >&2 ;;
	*) echo "vm.sh: the $mode failed in the guest ($end); log: $log" >&2 ;;
	esac
	exit 1
	;;
check)
	expect=()
	while read -r name; do expect+=(--expect "$name"); done <"$EXPECT_LIST"
	exec "$VMRUN" --timeout "${TIMEOUT:-1800}" --log "$LOG" --qemu-monitor "${expect[@]}" -- \
		"${qemu[@]}" "${batch[@]}"
	;;
*)
	echo "vm.sh: unknown mode '$mode' (shell, demo, check, bench or bench-server)" >&2
	exit 2
	;;
esac
