#!/usr/bin/env bash
# `make bench-server` (docs/dynamic.md): boot the release kernel twice, PTI
# on and off, one vCPU under -icount shift=0,sleep=off (a guest nanosecond
# is one guest instruction), run Debian's redis and nginx at ring 3 and at
# ring 0 under redis-benchmark and ab (scripts/guest/bench-server.sh), and
# write the medians per request to OUTDIR/server.md and OUTDIR/server.svg.
# A benchmark, never a test: it fails only if a run fails.
#
#   bench-server.sh KERNEL INITRD OUTDIR
set -euo pipefail
kernel=$1 initrd=$2 out=$3
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
logs=()
for pti in on off; do
	log=$out/server-pti-$pti.log
	echo "  BENCH   servers, pti=$pti, guest instructions"
	SMP=1 QEMU_EXTRA="-icount shift=0,sleep=off" \
		KML_APPEND="pti=$pti ${KML_APPEND:-}" LOG=$log \
		TIMEOUT=${BENCH_TIMEOUT:-3600} \
		"$top/scripts/vm.sh" bench-server "$kernel" "$initrd" >/dev/null
	logs+=("$log")
done

# One row a workload: medians of the runs, per request, ring 3 and ring 0.
report() {
	echo "# What ring 0 buys Debian's redis and nginx (make bench-server)"
	echo
	echo "Medians of the runs, per request. Guest instructions: everything the"
	echo "client, the server and the kernel ran (QEMU -icount shift=0,sleep=off,"
	echo "one vCPU); the server's own: its CPU time in guest nanoseconds"
	echo "(/proc/PID/sched; under icount, instructions), in user and kernel"
	echo "mode; calls: the server's system calls per request at ring 0 and the"
	echo "share that took the direct entry."
	for log in "${logs[@]}"; do
		echo
		echo "## $(basename "$log" .log)"
		echo
		echo "| workload | instructions, ring 3 | ring 0 | saved | ratio | server's own, ring 3 | ring 0 | saved | calls | direct |"
		echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
		tr -d '\r' <"$log" | awk '
		function median(key,   n, i, j, t, a) {
			n = split(vals[key], a, " ")
			for (i = 2; i <= n; i++)
				for (j = i; j > 1 && a[j] + 0 < a[j - 1] + 0; j--) {
					t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
				}
			return n ? (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2) : 0
		}
		$1 == "SERVER-BENCH" {
			w = $2; ring = $3
			for (i = 4; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
			n = f["requests"]
			key = w SUBSEP ring
			vals[key SUBSEP "ins"] = vals[key SUBSEP "ins"] " " f["ns"] / n
			vals[key SUBSEP "cpu"] = vals[key SUBSEP "cpu"] " " f["server_ns"] / n
			vals[key SUBSEP "calls"] = vals[key SUBSEP "calls"] " " f["calls"] / n
			vals[key SUBSEP "direct"] = vals[key SUBSEP "direct"] " " (f["calls"] ? 100 * f["direct"] / f["calls"] : 0)
			if (!(w in seen)) { seen[w] = 1; order[m++] = w }
		}
		END {
			for (k = 0; k < m; k++) {
				w = order[k]
				r3 = median(w SUBSEP "ring3" SUBSEP "ins")
				r0 = median(w SUBSEP "ring0" SUBSEP "ins")
				c3 = median(w SUBSEP "ring3" SUBSEP "cpu")
				c0 = median(w SUBSEP "ring0" SUBSEP "cpu")
				printf "| %s | %.0f | %.0f | %.0f | %.3f | %.0f | %.0f | %.0f | %.2f | %.2f%% |\n",
					w, r3, r0, r3 - r0, r3 ? r0 / r3 : 0, c3, c0, c3 - c0,
					median(w SUBSEP "ring0" SUBSEP "calls"),
					median(w SUBSEP "ring0" SUBSEP "direct")
			}
		}'
	done
}
report | tee "$out/server.md"

# A bar chart of the ring-0 / ring-3 instruction ratio, one bar a row.
awk -F'|' '
	BEGIN { n = 0 }
	/^## / { section = substr($0, 4) }
	/^\| (redis|nginx)/ { label[n] = section " " $2; ratio[n++] = $6 + 0 }
	END {
		h = 30 * n + 60
		printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">\n", h
		print "<text x=\"10\" y=\"20\">guest instructions per request, ring 0 / ring 3 (1.0 = no change)</text>"
		print "<line x1=\"400\" y1=\"30\" x2=\"400\" y2=\"" h - 20 "\" stroke=\"#888\"/>"
		for (i = 0; i < n; i++) {
			y = 40 + 30 * i
			printf "<text x=\"10\" y=\"%d\">%s</text>\n", y + 14, label[i]
			printf "<rect x=\"240\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"#4a7\"/>\n", y, 160 * ratio[i]
			printf "<text x=\"%.1f\" y=\"%d\">%.3f</text>\n", 245 + 160 * ratio[i], y + 14, ratio[i]
		}
		print "</svg>"
	}' "$out/server.md" >"$out/server.svg"
echo "  BENCH   $out/server.md, $out/server.svg"
