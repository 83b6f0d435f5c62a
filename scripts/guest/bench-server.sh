#!/bin/sh
# In the VM, for `make bench-server` (docs/dynamic.md): Debian's redis and
# nginx at ring 3 (their own loader) and at ring 0 (kml run --ring0), each
# under the same clients, RUNS times: kml-server-bench prints a line a run.
status=0
runs=${KML_SERVER_RUNS:-5}
redis_n=${KML_SERVER_REDIS_N:-1000}
ab_n=${KML_SERVER_AB_N:-500}
read -r cmdline </proc/cmdline
for arg in $cmdline; do
	case $arg in
	kml.server_runs=*) runs=${arg#kml.server_runs=} ;;
	esac
done
bench=/kml/bench/kml-server-bench
# shellcheck disable=SC2086 # the parameters are words
insmod /kml/kml.ko $KML_MODULE_PARAMS min_assurance=trusted || status=1
echo 0 >/sys/kernel/kml/allow_unsigned
kml approve /usr/lib/kml/servers.list >/dev/null || status=1
ifconfig lo up
www=/tmp/bench-www
mkdir -p $www
head -c 612 /dev/zero | tr '\0' x >$www/index.html
cat >/tmp/bench-nginx.conf <<CONF
daemon off;
master_process on;
worker_processes 1;
pid /tmp/bench-nginx.pid;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path /tmp/nb; proxy_temp_path /tmp/np;
  fastcgi_temp_path /tmp/nf; uwsgi_temp_path /tmp/nu; scgi_temp_path /tmp/ns;
  server { listen 127.0.0.1:8080; root $www; }
}
CONF

# wait_for CMD: until it succeeds, at most 60 s.
wait_for() {
	i=0
	while ! sh -c "$1" >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -gt 600 ] && return 1
		sleep 0.1
	done
}

# Ring 3 is the servers as Debian runs them (their loader, Debian's libc);
# ring 0 is kml run --ring0 (kml's loader and libc).
for ring in 3 0; do
	run=""
	[ $ring = 0 ] && run="kml run --ring0"
	# shellcheck disable=SC2086 # $run is empty or three words
	$run /usr/bin/redis-server --port 6379 --save "" \
		--appendonly no >/tmp/bench-redis.log 2>&1 &
	pid=$!
	wait_for "redis-cli PING | grep -q PONG" || status=1
	for t in get set; do
		for c in 1 50; do
			$bench "redis-$t-c$c ring$ring" "$runs" "$redis_n" $pid -- \
				/usr/bin/redis-benchmark -q -n "{n}" -c $c -P 1 -t $t ||
				status=1
		done
	done
	redis-cli SHUTDOWN NOSAVE >/dev/null 2>&1
	wait $pid
	# shellcheck disable=SC2086
	$run /usr/sbin/nginx -c /tmp/bench-nginx.conf -e /tmp/bench-nginx.err \
		>/tmp/bench-nginx.log 2>&1 &
	pid=$!
	wait_for "wget -q -O /dev/null http://127.0.0.1:8080/" || status=1
	for c in 1 50; do
		$bench "nginx-c$c ring$ring" "$runs" "$ab_n" $pid -- \
			/usr/bin/ab -q -n "{n}" -c $c http://127.0.0.1:8080/index.html ||
			status=1
	done
	kml run /usr/sbin/nginx -s quit -c /tmp/bench-nginx.conf -e /tmp/bench-nginx.err
	wait $pid
done
rmmod kml || status=1
echo "KML-BENCH-END status=$status"
