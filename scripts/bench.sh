#!/usr/bin/env bash
# `make bench`: boot the release kernel four times (pti on and off; guest
# instruction counts with -icount shift=0, and wall time) and run kml-bench
# at ring 3 and ring 0 in each; write build/bench/results.{md,svg} and print
# the table. A benchmark, never a test: it fails only if a run fails.
#
#   bench.sh KERNEL INITRD REPORT_TOOL OUTDIR
#
# KML_APPEND adds kernel arguments to every boot (e.g. kml_strict_smep).
set -euo pipefail
kernel=$1 initrd=$2 report=$3 out=$4
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
args=()
for pti in on off; do
	for clock in instructions wall; do
		log=$out/pti-$pti-$clock.log
		extra=""
		[ $clock = instructions ] && extra="-icount shift=0"
		echo "  BENCH   pti=$pti, $clock"
		SMP=1 QEMU_EXTRA="$extra" KML_APPEND="pti=$pti ${KML_APPEND:-}" \
			LOG=$log TIMEOUT=${BENCH_TIMEOUT:-600} \
			"$top/scripts/vm.sh" bench "$kernel" "$initrd" >/dev/null
		if [ $clock = instructions ]; then
			args+=("PTI $pti, guest instructions=$log:instructions")
		else
			args+=("PTI $pti, wall time under TCG=$log")
		fi
	done
done
"$report" "$out" "${args[@]}"
