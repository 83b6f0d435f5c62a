#!/usr/bin/env bash
# Build the kml QEMU kernel: Debian's linux-source-6.12 + kml/patches +
# kml/kernel.config (+ kml/kernel-debug.config for the debug flavour).
#
#   scripts/kernel.sh release|debug
#   KML_VANILLA=1 scripts/kernel.sh debug   # the same kernel without the series
#
# The vanilla build (build/linux-vanilla, build/kernel-FLAVOUR-vanilla) is
# the baseline the x86 selftests' ring-3 results are compared with
# (make x86-baseline): the same tarball and config, no patch, no CONFIG_KML.
#
# Caching: build/linux is the patched source tree, stamped with a hash of the
# tarball and the patch series; build/kernel-FLAVOUR is the output tree,
# stamped with that hash plus the config fragments. A matching stamp means
# nothing is run at all. A changed series is reversed and re-applied in place
# so only the files it touches get new mtimes and Kbuild rebuilds just those;
# ccache makes the rest cheap.
set -euo pipefail

flavour=${1:?usage: kernel.sh release|debug}
top=$(cd "$(dirname "$0")/.." && pwd)
build=${KML_BUILD:-$top/build}
tarball=${KML_KERNEL_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
src=$build/linux
out=$build/kernel-$flavour
patches=$top/kml/patches
vanilla=${KML_VANILLA:-0}
if [ "$vanilla" = 1 ]; then
	src=$build/linux-vanilla
	out=$build/kernel-$flavour-vanilla
fi
jobs=${JOBS:-$(nproc)}

case $flavour in
release) fragments=("$top/kml/kernel.config") ;;
debug) fragments=("$top/kml/kernel.config" "$top/kml/kernel-debug.config") ;;
*) echo "kernel.sh: unknown flavour '$flavour' (want release or debug)" >&2; exit 2 ;;
esac

die() { echo "kernel.sh: $*" >&2; exit 1; }

# One kernel.sh at a time: two would re-apply the series into the same
# source tree at once (both flavours share build/linux).
mkdir -p "$build"
exec 9>"$build/.kml-kernel.lock"
if ! flock -n 9; then
	echo "  KML     waiting for another kernel.sh to finish"
	flock 9
fi
if [ "$vanilla" = 1 ]; then
	# The fragments without the options only the series defines.
	mkdir -p "$out"
	filtered=()
	for f in "${fragments[@]}"; do
		grep -vE '^(# )?CONFIG_KML' "$f" >"$out/$(basename "$f").vanilla"
		filtered+=("$out/$(basename "$f").vanilla")
	done
	fragments=("${filtered[@]}")
fi
[ -r "$tarball" ] || die "$tarball not found: run 'make deps' (Debian package linux-source-6.12)"

series_files() {
	[ "$vanilla" = 1 ] && return 0
	grep -vE '^\s*(#|$)' "$patches/series" | sed "s#^#$patches/#"
}
# Files a patch touches, from its +++ lines (new files) and --- lines.
patched_paths() { sed -n -e 's#^+++ b/\([^\t ]*\).*#\1#p' -e 's#^--- a/\([^\t ]*\).*#\1#p' "$@" | sort -u; }

src_hash=$({ stat -c '%s %Y' "$tarball"; series_files | xargs cat; } | sha256sum | cut -c1-16)

prepare_source() {
	if [ -f "$src/.kml-src-hash" ] && [ "$(cat "$src/.kml-src-hash")" = "$src_hash" ]; then
		return
	fi
	local applied=$src/.kml-applied
	# Content and mtime of every file the applied series touches: after
	# re-applying, a file whose content came back the same gets its old
	# mtime back, so Kbuild rebuilds only what a changed patch changed.
	local snapshot=$build/.kml-src-snapshot
	: >"$snapshot"
	if [ -d "$applied" ] && [ -f "$src/Makefile" ]; then
		(cd "$src" && patched_paths "$applied"/*.patch 2>/dev/null |
			while read -r f; do
				[ -f "$f" ] && printf '%s %s %s\n' \
					"$(stat -c %Y "$f")" "$(sha256sum <"$f" | cut -c1-64)" "$f"
			done) >"$snapshot" || true
		echo "  KML     re-applying the patch series in $src"
		local ok=1
		for p in $(tac "$applied/series"); do
			patch -d "$src" -p1 -R -s --batch <"$applied/$p" || { ok=0; break; }
		done
		if [ $ok = 0 ]; then
			echo "  KML     the tree does not reverse cleanly; unpacking afresh"
			rm -rf "$src"
		fi
	else
		rm -rf "$src"
	fi
	local stale=()
	[ -d "$applied" ] && mapfile -t stale < <(patched_paths "$applied"/*.patch 2>/dev/null || true)
	if [ ! -f "$src/Makefile" ]; then
		echo "  KML     unpacking $tarball"
		mkdir -p "$build/tmp-unpack"
		rm -rf "$build/tmp-unpack"/*
		tar -C "$build/tmp-unpack" -xf "$tarball"
		mv "$build/tmp-unpack"/linux-source-6.12 "$src"
		rmdir "$build/tmp-unpack"
	fi
	rm -rf "$applied"
	mkdir -p "$applied"
	: >"$applied/series"
	for p in $(series_files); do
		echo "  PATCH   $(basename "$p")"
		patch -d "$src" -p1 -s --batch --no-backup-if-mismatch <"$p" ||
			die "$(basename "$p") does not apply to $(head -n 4 "$src/Makefile" | tr '\n' ' ')"
		cp "$p" "$applied/"
		basename "$p" >>"$applied/series"
	done
	# Files the old series touched that the new one does not were restored
	# by reversing (new mtime) or unpacking; touch them so Kbuild sees it.
	for f in "${stale[@]}"; do [ -e "$src/$f" ] && touch "$src/$f"; done
	local mtime sum f
	while read -r mtime sum f; do
		[ -f "$src/$f" ] && [ "$(sha256sum <"$src/$f" | cut -c1-64)" = "$sum" ] &&
			touch -d "@$mtime" "$src/$f"
	done <"$snapshot"
	rm -f "$snapshot"
	echo "$src_hash" >"$src/.kml-src-hash"
}

prepare_source

# The formats the kernel shares with kml's tools: the series adds them to
# the kernel's UAPI, and loader/uapi/linux keeps an identical copy for the
# host tools and tests. A change to one is a change to both.
if [ "$vanilla" != 1 ]; then
	for h in kml_abi.h kml_note.h; do
		cmp -s "$src/include/uapi/linux/$h" "$top/loader/uapi/linux/$h" ||
			die "include/uapi/linux/$h from kml/patches differs from loader/uapi/linux/$h: change both"
	done
fi

# The VM's test CA: built into the kernel's trusted keyring, it signs the
# programs the VM runs and can certify development keys. The private half
# stays in build/keys/ (never committed). Made once a build tree.
keys=$build/keys
if [ ! -f "$keys/kml-test-ca.pem" ] || [ ! -f "$keys/kml-test-ca.key" ]; then
	echo "  KML     making the VM's test CA in $keys"
	mkdir -p "$keys"
	chmod 700 "$keys"
	openssl req -new -x509 -newkey rsa:2048 -sha256 -nodes -days 36500 \
		-subj "/O=kml/CN=kml VM test CA" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,digitalSignature,keyCertSign" \
		-addext "subjectKeyIdentifier=hash" \
		-addext "authorityKeyIdentifier=keyid" \
		-keyout "$keys/kml-test-ca.key.new" -out "$keys/kml-test-ca.pem.new" \
		>"$keys/openssl.log" 2>&1 || die "openssl could not make the test key: see $keys/openssl.log"
	chmod 600 "$keys/kml-test-ca.key.new"
	mv "$keys/kml-test-ca.key.new" "$keys/kml-test-ca.key"
	mv "$keys/kml-test-ca.pem.new" "$keys/kml-test-ca.pem"
fi
mkdir -p "$out"
echo "CONFIG_SYSTEM_TRUSTED_KEYS=\"$keys/kml-test-ca.pem\"" >"$out/kml-keys.config"
fragments+=("$out/kml-keys.config")

kern_hash=$({ echo "$src_hash"; cat "${fragments[@]}" "$keys/kml-test-ca.pem"; } |
	sha256sum | cut -c1-16)
if [ -f "$out/.kml-stamp" ] && [ "$(cat "$out/.kml-stamp")" = "$kern_hash" ] &&
	[ -f "$out/arch/x86/boot/bzImage" ]; then
	echo "  KML     kernel-$flavour is up to date ($kern_hash)"
	exit 0
fi

cc="gcc"
command -v ccache >/dev/null && cc="ccache gcc"
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/kml-ccache}
export CCACHE_BASEDIR=$build CCACHE_NOHASHDIR=1 CCACHE_SLOPPINESS=time_macros
export KBUILD_BUILD_USER=kml KBUILD_BUILD_HOST=kml
kmake() { make -s -C "$src" O="$out" ARCH=x86_64 CC="$cc" HOSTCC="$cc" -j"$jobs" "$@"; }

mkdir -p "$out"
cfg_hash=$(cat "${fragments[@]}" | sha256sum | cut -c1-16)
if [ ! -f "$out/.kml-config-hash" ] || [ "$(cat "$out/.kml-config-hash")" != "$cfg_hash" ] ||
	[ ! -f "$out/.config" ]; then
	echo "  KML     configuring kernel-$flavour"
	kmake tinyconfig >/dev/null
	KCONFIG_CONFIG="$out/.config" "$src/scripts/kconfig/merge_config.sh" -m -O "$out" \
		"$out/.config" "${fragments[@]}" >"$out/.kml-merge.log" 2>&1 ||
		die "merge_config failed: see $out/.kml-merge.log"
	kmake olddefconfig >/dev/null
	# Every symbol a fragment sets must have taken that value.
	bad=0
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*) want=$line; sym=${line%%=*} ;;
		"# CONFIG_"*" is not set") sym=${line#\# }; sym=${sym%% *}; want="# $sym is not set" ;;
		*) continue ;;
		esac
		got=$(grep -E "^($sym=|# $sym is not set)" "$out/.config" || true)
		if [ "$want" != "$got" ] && ! { [ -z "$got" ] && [ "${want#\# }" != "$want" ]; }; then
			echo "kernel.sh: $sym: fragment wants '$want', .config has '${got:-nothing}'" >&2
			bad=1
		fi
	done < <(cat "${fragments[@]}")
	[ $bad = 0 ] || die "the config fragments do not hold (a dependency is missing)"
	echo "$cfg_hash" >"$out/.kml-config-hash"
fi

echo "  KML     building kernel-$flavour with $jobs jobs (cc: $cc)"
start=$(date +%s)
kmake all
echo "  KML     kernel-$flavour built in $(($(date +%s) - start)) s"
echo "$kern_hash" >"$out/.kml-stamp"
