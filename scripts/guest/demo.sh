#!/bin/sh
# The kml showcase, run inside the VM by `make demo`.
status=0
yesno() { grep -qw "$1" /proc/cpuinfo && echo yes || echo no; }

echo
echo "==== kml demo ===================================================="
echo "kernel:        $(uname -r) $(uname -v)"
echo "cpu:           $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
echo "protections:   SMEP $(yesno smep), SMAP $(yesno smap), UMIP $(yesno umip), PKU $(yesno pku), FSGSBASE $(yesno fsgsbase)"
echo "page tables:   PTI $(yesno pti) (meltdown: $(cat /sys/devices/system/cpu/vulnerabilities/meltdown))"
echo "command line:  $(cat /proc/cmdline)"
echo "kml command:   $(kml --version)"
# shellcheck disable=SC2086 # the parameters are words
if ! insmod /kml/kml.ko $KML_MODULE_PARAMS; then
	echo "kml.ko:        failed to load"
	echo "KML-DEMO-END status=1"
	exit 1
fi
echo "kml.ko:        version $(cat /sys/kernel/kml/version), hook ABI $(cat /sys/kernel/kml/abi)"
echo
echo "-- one program, two markers ------------------------------------"
bench=/kml/bench/kml-bench
for ring in ring3 ring0; do
	echo "\$ kml inspect $bench.$ring"
	kml inspect "$bench.$ring" | sed -n 's/^  state: */    marker: /p'
done
echo
echo "-- getppid, one call, median ns of guest time (TCG) --------------"
for ring in ring3 ring0; do
	"$bench.$ring" 5 400 >/tmp/bench.$ring || status=1
	sed -n 's/^BENCH-INFO /    '"$ring"': /p' /tmp/bench.$ring
done
"$bench.ring0bypass" 5 400 bypass >/tmp/bench.bypass || status=1
r3=$(awk '$2 == "getppid" && $3 == "ring3" {print $4}' /tmp/bench.ring3)
r0=$(awk '$2 == "getppid" && $3 == "ring0-direct" {print $4}' /tmp/bench.ring0)
slow=$(awk '$2 == "getppid" && $3 == "ring0-slow" {print $4}' /tmp/bench.ring0)
by=$(awk '$2 == "getppid" && $3 == "ring0-bypass" {print $4}' /tmp/bench.bypass)
echo "    ring 3, syscall instruction:      $r3 ns"
echo "    ring 0, syscall instruction:      $slow ns"
echo "    ring 0, direct call into kernel:  $r0 ns"
echo "    ring 0, bypass (marker flag):     $by ns"
awk -v a="$r3" -v b="$r0" 'BEGIN { if (b > 0) printf "    speedup ring 3 -> direct call:    %.1fx\n", a / b }'
awk -v a="$r3" -v b="$by" 'BEGIN { if (b > 0) printf "    speedup ring 3 -> bypass:         %.1fx\n", a / b }'
echo
echo "-- how a rewritten busybox's system calls reached the kernel ----"
echo "\$ kml stats -- busybox.kml sh -c 'for i in \$(seq 1 300); do echo \$i; done | sort -n | md5sum'"
# shellcheck disable=SC2016 # the busybox shell expands it, not this one
kml stats -- /kml/tests/busybox.kml sh -c 'for i in $(seq 1 300); do echo $i; done | sort -n | md5sum' 2>&1 |
	sed 's/^/    /' || status=1
echo "    (the slow calls: busybox's rt_sigreturn, once per SIGCHLD; kml rewrite"
echo "    leaves that one site as a syscall instruction because unwinders match"
echo "    its bytes)"
echo
echo "counters:      ring0_execs=$(cat /sys/kernel/kml/ring0_execs) ring0_tasks=$(cat /sys/kernel/kml/ring0_tasks) refused_eperm=$(cat /sys/kernel/kml/refused_eperm)"
rmmod kml || status=1

echo
echo "-- the gate: only approved code reaches ring 0 (docs/gate.md) ---"
# The default policy this time: no development mode, min_assurance
# verified. The payloads are the attack tests' (signed by the VM's test
# CA as trusted, generation 5).
insmod /kml/kml.ko || status=1
t=/kml/tests
# show FILE ARGS...: runs it, prints the last line of its output (or the
# shell's word for the execve() error) and the kernel's log line that
# names the reason.
show() {
	echo "\$ $(basename "$1") $2 $3"
	dmesg -c >/dev/null
	out=$("$@" 2>&1)
	printf '%s\n' "${out:-(no output)}" | tail -n 1 | sed -e 's/[^ ]*demo.sh: line [0-9]*: //' -e 's/^/    /'
	dmesg | sed -n 's/.*kml: /    kernel: /p' | head -n 1
}
cp $t/attack-payload.signed /tmp/tampered
printf '\377' | dd of=/tmp/tampered bs=1 seek=4352 conv=notrunc 2>/dev/null
echo "(unsigned)"; show $t/attack-payload cpl
echo "(one code byte changed)"; show /tmp/tampered cpl
echo "(signed as trusted; the policy asks for verified)"; show $t/attack-payload.signed cpl
echo "\$ echo trusted > /sys/kernel/kml/min_assurance"
echo trusted >/sys/kernel/kml/min_assurance
echo "(the same program)"; show $t/attack-payload.signed cpl
echo "(at ring 0, asking for anonymous executable memory)"
show $t/attack-payload.signed map-exec anon
echo "\$ echo verified > /sys/kernel/kml/min_assurance"
echo verified >/sys/kernel/kml/min_assurance
echo "(built from its source by kml build: source rules, rewrite, binary"
echo " validator, signed as verified; the summary is above, on the host)"
echo "\$ kml verify wordcount.verified --cert kml-test-ca.pem"
kml verify $t/wordcount.verified --cert $t/kml-test-ca.pem 2>&1 |
	sed -e 's|^.*/||' -e 's/^/    /'
before=$(cat /sys/kernel/kml/ring0_execs)
echo "\$ echo 'one ring to rule them all' | kml stats -- wordcount.verified"
echo 'one ring to rule them all' | kml stats -- $t/wordcount.verified 2>&1 |
	sed 's/^/    /' || status=1
after=$(cat /sys/kernel/kml/ring0_execs)
echo "    (ring0_execs $before -> $after: it ran at CPL 0)"
[ "$after" -gt "$before" ] || status=1
echo "\$ grep -v ' 0\$' /sys/kernel/kml/refused"
grep -v ' 0$' /sys/kernel/kml/refused | sed 's/^/    /'
rm -f /tmp/tampered
# refuse CMD: runs a command that must fail, and prints its error and the
# kernel's line; a command that works fails the demo.
refuse() {
	echo "\$ $*"
	dmesg -c >/dev/null
	if out=$(sh -c "$*" 2>&1); then
		echo "    (it worked: it must not)"
		status=1
	fi
	printf '    %s\n' "${out##*: }"
	dmesg | sed -n 's/.*kml: /    kernel: /p' | tail -n 1
}
echo "(sealed: kml.ko stays until reboot, the policy only gets stricter,"
echo " .kml keys count no more; with lockdown=integrity it holds against root)"
echo "\$ echo 1 > /sys/kernel/kml/sealed"
echo 1 >/sys/kernel/kml/sealed || status=1
refuse "echo verified > /sys/kernel/kml/min_assurance && echo trusted > /sys/kernel/kml/min_assurance"
refuse "echo 1 > /sys/kernel/kml/allow_unsigned"
refuse "rmmod kml"
echo "=================================================================="
echo "KML-DEMO-END status=$status"
