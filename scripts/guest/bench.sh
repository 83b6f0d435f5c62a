#!/bin/sh
# In the VM, for `make bench`: kml-bench at ring 3 (marker disabled), then
# at ring 0 (marker enabled: the slow path and the direct entry), then with
# the bypass flag (the bypass entry); then kml-exec-bench, the cost of an
# exec at ring 3, at ring 0 unsigned and at ring 0 signed (docs/gate.md).
status=0
rounds=${KML_BENCH_ROUNDS:-11}
calls=${KML_BENCH_CALLS:-2000}
exec_rounds=${KML_EXEC_BENCH_ROUNDS:-5}
exec_execs=${KML_EXEC_BENCH_EXECS:-4}
read -r cmdline </proc/cmdline
for arg in $cmdline; do
	case $arg in
	kml.bench_rounds=*) rounds=${arg#kml.bench_rounds=} ;;
	kml.bench_calls=*) calls=${arg#kml.bench_calls=} ;;
	kml.exec_bench_rounds=*) exec_rounds=${arg#kml.exec_bench_rounds=} ;;
	kml.exec_bench_execs=*) exec_execs=${arg#kml.exec_bench_execs=} ;;
	esac
done
# shellcheck disable=SC2086 # the parameters are words
insmod /kml/kml.ko $KML_MODULE_PARAMS || status=1
# pipe-pingpong needs a ring-3 echo process: the unmarked copy.
export KML_BENCH_PARTNER=/kml/bench/kml-bench.ring3
/kml/bench/kml-bench.ring3 "$rounds" "$calls" || status=1
/kml/bench/kml-bench.ring0 "$rounds" "$calls" || status=1
/kml/bench/kml-bench.ring0bypass "$rounds" "$calls" bypass || status=1
rmmod kml || status=1
# The gate's cost at exec: signed programs need a policy that admits the
# test CA's trusted signature; unsigned ones run in development mode.
# shellcheck disable=SC2086
insmod /kml/kml.ko $KML_MODULE_PARAMS min_assurance=trusted || status=1
bench=/kml/bench
targets=""
for size in 1 16; do
	for form in ring3 unsigned signed; do
		targets="$targets $form-${size}m=$bench/exec-target-${size}m.$form"
	done
done
# shellcheck disable=SC2086 # the targets are words
$bench/kml-exec-bench "$exec_rounds" "$exec_execs" $targets || status=1
rmmod kml || status=1
echo "KML-BENCH-END status=$status"
