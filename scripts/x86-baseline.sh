#!/usr/bin/env bash
# The kernel's x86 selftests at ring 3 on the patched kernel and on the
# same kernel without the series: the results must be the same.
#
#   x86-baseline.sh PATCHED_BZIMAGE VANILLA_BZIMAGE TESTS_DIR OUT
#
# TESTS_DIR holds the static selftests (NAME_64, as tests/vm/x86-selftests/
# build.mk builds them, ring-3 form: no marker) and x86-selftests.list;
# the two that list leaves out (X86ST_NOT_RUN) run here too, last. Each
# kernel boots (QEMU TCG, -cpu max, 2 vCPUs, as scripts/vm.sh) an
# initramfs of busybox and the tests, nothing of kml (no kml.ko, no
# marker), which runs every test once with a 180 s limit and prints its
# exit status and any kernel report it caused. OUT gets both guest logs
# and the table (OUT/x86-baseline.txt); the exit status is 0 only if
# every test ended the same way on both kernels, with the same reports
# (addresses in them aside). X86BL_REUSE_LOGS=1 compares the last logs
# again without booting.
set -euo pipefail
patched=$1 vanilla=$2 tests=$3 out=$4
not_run=(sysret_ss_attrs_64 syscall_numbering_64)
limit=180

die() { echo "x86-baseline: $*" >&2; exit 1; }
for f in "$patched" "$vanilla" "$tests/x86-selftests.list"; do
	[ -r "$f" ] || die "$f not found"
done
busybox=$(command -v busybox) || die "busybox not found (Debian package busybox-static)"
mkdir -p "$out"
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,proc,sys,dev,tmp,x86}
cp "$busybox" "$root/bin/busybox"
for app in sh mount cat timeout reboot mkdir sleep; do ln -s busybox "$root/bin/$app"; done
{ cat "$tests/x86-selftests.list"; printf '%s\n' "${not_run[@]}"; } >"$root/x86/list"
while read -r t; do
	[ -x "$tests/$t" ] || die "$tests/$t not built: run 'make vm-tests'"
	cp "$tests/$t" "$root/x86/"
done <"$root/x86/list"
cat >"$root/init" <<EOF
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
cd /tmp
for t in \$(cat /x86/list); do
	echo "X86-BEGIN \$t"
	timeout -s KILL $limit /x86/\$t </dev/null >/tmp/\$t.out 2>&1
	echo "X86-RESULT \$t \$?"
done
echo X86-END
reboot -f
EOF
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out/x86-baseline.cpio.gz"

boot() {
	local kernel=$1 log=$2 n
	n=$(wc -l <"$root/x86/list")
	timeout $((n * limit + 300)) qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 1G \
		-kernel "$kernel" -initrd "$out/x86-baseline.cpio.gz" \
		-append "console=ttyS0 loglevel=5 panic=-1 pti=on tsc=reliable" \
		-no-reboot -display none -serial stdio -monitor none </dev/null >"$log" 2>&1 || true
	grep -aq '^X86-END' "$log" || die "the guest did not finish: $log"
}

# "exit N", "signal SIGxxx" or "killed after 180 s", and " + REPORT" for
# each kernel report between the test's BEGIN and RESULT lines.
results() {
	tr -d '\r' <"$1" | awk -v limit=$limit '
		/^X86-BEGIN / { t = $2; rep = ""; next }
		/^X86-RESULT / {
			s = $3 + 0
			if (s == 137) r = "killed after " limit " s (or SIGKILL)"
			else if (s > 128) r = "signal " s - 128
			else r = "exit " s
			print $2 "\t" r rep
			t = ""
			next
		}
		t != "" && /(BUG:|WARNING:|Oops|general protection|KASAN|UBSAN|kernel BUG)/ {
			sub(/^\[[ 0-9.]*\] */, "")
			# addresses differ from boot to boot (KASLR, ASLR)
			gsub(/[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]+/, "...")
			rep = rep " + " substr($0, 1, 60)
		}'
}

# X86BL_REUSE_LOGS=1: compare the guest logs of the last run again.
if [ "${X86BL_REUSE_LOGS:-0}" = 1 ] && [ -f "$out/x86-baseline-vanilla.log" ] &&
	[ -f "$out/x86-baseline-patched.log" ]; then
	echo "  X86BL   comparing the logs of the last run"
else
	echo "  X86BL   the x86 selftests at ring 3 on the vanilla kernel"
	boot "$vanilla" "$out/x86-baseline-vanilla.log"
	echo "  X86BL   ... and on the patched kernel"
	boot "$patched" "$out/x86-baseline-patched.log"
fi

results "$out/x86-baseline-vanilla.log" | sort >"$out/vanilla.results"
results "$out/x86-baseline-patched.log" | sort >"$out/patched.results"
status=0
{
	printf '| test | vanilla 6.12 | patched 6.12 (ring 3) | |\n|---|---|---|---|\n'
	join -t $'\t' "$out/vanilla.results" "$out/patched.results" | sort |
		while IFS=$'\t' read -r t v p; do
			same=same
			[ "$v" = "$p" ] || same=DIFFERENT
			printf '| %s | %s | %s | %s |\n' "$t" "$v" "$p" "$same"
		done
} >"$out/x86-baseline.txt"
cat "$out/x86-baseline.txt"
[ "$(wc -l <"$out/vanilla.results")" = "$(wc -l <"$root/x86/list")" ] || status=1
[ "$(wc -l <"$out/patched.results")" = "$(wc -l <"$root/x86/list")" ] || status=1
grep -q DIFFERENT "$out/x86-baseline.txt" && status=1
[ $status = 0 ] && echo "x86-baseline: every test ends the same way on both kernels" ||
	echo "x86-baseline: the kernels differ (or a guest lost a test): see $out" >&2
exit $status
