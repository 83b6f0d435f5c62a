#!/bin/sh
# In the VM, for `make bench`: kml-bench at ring 3 (marker disabled), then
# at ring 0 (marker enabled: the slow path and the direct entry), then with
# the bypass flag (the bypass entry).
status=0
rounds=${KML_BENCH_ROUNDS:-11}
calls=${KML_BENCH_CALLS:-2000}
for arg in $(cat /proc/cmdline); do
	case $arg in
	kml.bench_rounds=*) rounds=${arg#kml.bench_rounds=} ;;
	kml.bench_calls=*) calls=${arg#kml.bench_calls=} ;;
	esac
done
# shellcheck disable=SC2086 # the parameters are words
insmod /kml/kml.ko $KML_MODULE_PARAMS || status=1
/kml/bench/kml-bench.ring3 "$rounds" "$calls" || status=1
/kml/bench/kml-bench.ring0 "$rounds" "$calls" || status=1
/kml/bench/kml-bench.ring0bypass "$rounds" "$calls" bypass || status=1
rmmod kml || status=1
echo "KML-BENCH-END status=$status"
