#!/usr/bin/env bash
# `make bench`: boot the release kernel four times (pti on and off; guest
# instruction counts with -icount shift=0, and wall time) and run kml-bench
# at ring 3 and ring 0 in each, and kml-exec-bench (the gate's cost at
# exec); write build/bench/results.{md,svg} and print the tables. A
# benchmark, never a test: it fails only if a run fails.
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

# kml-exec-bench's lines, a table a boot: what the gate adds to an exec.
exec_table() {
	echo
	echo "## Exec latency (kml-exec-bench, docs/gate.md)"
	echo
	echo "Median cost of one exec (fork, execve, exit, wait), guest microseconds."
	echo "cold: nothing holds the file, so a signed one is read, verified and"
	echo "hashed; cached: a running instance holds it. Ratios: to the same"
	echo "program unsigned at ring 0 (development mode: no check)."
	for log in "$out"/pti-*-*.log; do
		echo
		echo "### $(basename "$log" .log)"
		echo
		echo "| program | cold | cached | cold / unsigned | cached / unsigned |"
		echo "|---|---:|---:|---:|---:|"
		awk '{ sub(/\r$/, "") }
		     $1 == "EXEC-BENCH" {
			v[$2 " " $3] = $4
			if (!($2 in seen)) { seen[$2] = 1; order[n++] = $2 }
		     }
		     END {
			for (i = 0; i < n; i++) {
				p = order[i]; split(p, a, "-"); u = "unsigned-" a[2]
				printf "| %s | %.0f | %.0f | %.3f | %.3f |\n", p,
				       v[p " cold"], v[p " cached"],
				       v[u " cold"] ? v[p " cold"] / v[u " cold"] : 0,
				       v[u " cached"] ? v[p " cached"] / v[u " cached"] : 0
			}
		     }' "$log"
	done
}
exec_table | tee -a "$out/results.md"
