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
if insmod /kml/kml.ko; then
	echo "kml.ko:        version $(cat /sys/kernel/kml/version), hook ABI $(cat /sys/kernel/kml/abi)"
	rmmod kml || status=1
else
	echo "kml.ko:        failed to load"
	status=1
fi
echo "kml command:   $(kml --version)"
echo "=================================================================="
echo "KML-DEMO-END status=$status"
