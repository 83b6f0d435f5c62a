#!/usr/bin/env bash
# `make check`: host unit tests (ctest), then the in-VM tests on the debug
# kernel. Both always run; the last line adds them up as
# "N passed, N failed", and the exit status is 0 only if nothing failed.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

host_log=build/check-host.log
vm_log=build/check-vm.out
mkdir -p build

make --no-print-directory host-tools || { echo "check: the host build failed"; echo "0 passed, 1 failed"; exit 1; }

echo "==== host tests (ctest) ===="
make --no-print-directory check-host 2>&1 | tee "$host_log"
host_status=${PIPESTATUS[0]}
# ctest: "NN% tests passed, F tests failed out of T"
read -r host_failed host_total < <(sed -n 's/.*tests passed, \([0-9]*\) tests\{0,1\} failed out of \([0-9]*\).*/\1 \2/p' "$host_log" | tail -n 1)
if [ -z "${host_total:-}" ]; then
	host_failed=1 host_total=1
	echo "check: ctest printed no summary"
fi
host_skipped=$(grep -c '(Skipped)$' "$host_log" || true)
host_passed=$((host_total - host_failed - host_skipped))
[ "$host_status" = 0 ] || [ "$host_failed" -gt 0 ] || host_failed=1

echo "==== in-VM tests (debug kernel) ===="
make --no-print-directory check-vm 2>&1 | tee "$vm_log"
vm_status=${PIPESTATUS[0]}
# One "vm: N passed, F failed" line per boot (check-vm boots twice).
vm_runs=$(grep -c '^vm: [0-9]* passed, [0-9]* failed$' "$vm_log" || true)
read -r vm_passed vm_failed < <(sed -n 's/^vm: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$vm_log" |
	awk '{ p += $1; f += $2 } END { print p + 0, f + 0 }')
if [ "$vm_runs" -lt 2 ]; then
	vm_failed=$((vm_failed + 1))
	echo "check: a VM run did not complete (see above)"
fi
[ "$vm_status" = 0 ] || [ "$vm_failed" -gt 0 ] || vm_failed=1

echo "==== summary ===="
echo "host: $host_passed passed, $host_failed failed, $host_skipped skipped"
echo "vm: $vm_passed passed, $vm_failed failed"
echo "$((host_passed + vm_passed)) passed, $((host_failed + vm_failed)) failed, $host_skipped skipped"
[ $((host_failed + vm_failed)) -eq 0 ]
