#!/usr/bin/env bash
# Install what kml needs from Debian 12 packages, by name. Idempotent and
# quiet when everything is present; `make deps` runs it and every other
# target calls it first (a dpkg query, a few milliseconds).
set -euo pipefail

packages=(
	# kernel build (Debian's 6.12 source, patched by kml/patches)
	linux-source-6.12 build-essential bc bison flex libelf-dev libssl-dev
	openssl
	cpio kmod dwarves patch xz-utils rsync ccache
	# the test VM, and the tracing tools it runs (docs/tracing.md)
	qemu-system-x86 busybox-static linux-perf trace-cmd
	# userspace, C++20
	cmake ninja-build g++ googletest libgtest-dev libgmock-dev
	clang-format clang-tidy musl-tools lld
	# kml's man pages: groff renders them in tests/cli
	groff-base
	# make lint (docs/lint.md): LLVM 19's clang-format, clang-tidy and
	# clang-scan-deps (clang-tools-19), shellcheck, perl for checkpatch.pl
	clang-format-19 clang-tidy-19 clang-tools-19 shellcheck perl python3
	# verifier and binary tools: libclang-cpp 19, an x86 decoder, ELF, OpenSSL,
	# DWARF's call-frame names (<dwarf.h>, for the rewriter's frame reader)
	clang-19 llvm-19-dev libclang-cpp19-dev libclang-19-dev libzydis-dev
	libdw-dev
	# the libraries of the VM's dynamic programs (scripts/dynroot.sh
	# downloads redis, nginx and ab themselves, never installed here)
	libjemalloc2 liblzf1 libatomic1 libssl3 libsystemd0 libcrypt1
	libpcre2-8-0 zlib1g libapr1 libaprutil1
)

# One dpkg query for all: the installed ones, then what is left over.
installed=" $(dpkg-query -W -f='${Package}:${db:Status-Status} ' "${packages[@]}" 2>/dev/null |
	tr ' ' '\n' | sed -n 's/:installed$//p' | tr '\n' ' ' || true) "
missing=()
for p in "${packages[@]}"; do
	case $installed in *" $p "*) ;; *) missing+=("$p") ;; esac
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
sudo=()
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null || {
		echo "deps: need root (or sudo) to install: ${missing[*]}" >&2
		exit 1
	}
	sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: done"
