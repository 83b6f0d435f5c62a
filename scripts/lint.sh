#!/usr/bin/env bash
# `make lint` (and the first step of `make check`): kml's static checks.
# One line per finding, "file:line: tool: message", then a summary; exit
# status 0 when there is none, 1 on findings, 2 when a tool is missing or
# cannot run. docs/lint.md says what each tool covers and why.
#
#   scripts/lint.sh [--base REV] [TOOL...]
#
# TOOL: checkpatch, clang-format, clang-tidy, shellcheck, layers (default:
# all, as `make lint` runs it; `make lint-tidy` runs clang-tidy alone).
# --base REV: clang-tidy only on the translation units that include a file
# changed since REV; the other tools always check everything (seconds).
#
# Versions are fixed so every machine finds the same: clang-format-19,
# clang-tidy-19 and clang-scan-deps-19 (LLVM 19, as the verifier), Debian
# 12's shellcheck, and checkpatch.pl from the kernel tarball the series
# applies to (Debian's linux-source-6.12), unpacked into build/lint.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2

build=${KML_BUILD:-$top/build}
lintdir=$build/lint
hostdir=${KML_LINT_HOSTDIR:-$build/host}
tarball=${KML_KERNEL_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
clang_format=clang-format-19
clang_tidy=clang-tidy-19
scan_deps=clang-scan-deps-19
jobs=${LINT_JOBS:-$(nproc)}
# clang-tidy's results, keyed by the content of all they depend on: one
# cache per user, outside the tree, so a fresh clone (CI's) reuses them.
tidy_cache=${KML_LINT_CACHE:-$HOME/.cache/kml-lint-tidy}

base=
tools=()
while [ $# -gt 0 ]; do
	case $1 in
	--base) base=${2:?--base needs a revision}; shift ;;
	--base=*) base=${1#--base=} ;;
	checkpatch | clang-format | clang-tidy | shellcheck | layers) tools+=("$1") ;;
	*) echo "usage: lint.sh [--base REV] [checkpatch|clang-format|clang-tidy|shellcheck|layers]..." >&2; exit 2 ;;
	esac
	shift
done
[ ${#tools[@]} -gt 0 ] || tools=(checkpatch clang-format clang-tidy shellcheck layers)

die() { echo "lint: $*" >&2; exit 2; }
need() { command -v "$1" >/dev/null || die "$1 not found: run 'make deps'"; }

# The tree as it is now, committed or not: tracked files that still exist
# and new ones git does not ignore.
files() {
	git ls-files --cached --others --exclude-standard -- "$@" |
		sort -u | while IFS= read -r f; do [ -f "$f" ] && printf '%s\n' "$f"; done
}

# Kernel C: kml.ko's sources (Kbuild), the tests' stand-in module
# (tests/vm/module) and the UAPI headers kml.ko shares with
# the userspace tools. The kernel's own checks exempt include/uapi/ from
# the rules a UAPI header cannot follow (BIT(), kernel types, __printf...);
# ours live in loader/uapi, so they get the same exemptions by name.
kernel_c() { files 'kml/*.c' 'kml/*.h' 'loader/*.c' 'loader/*.h' 'tests/vm/module/*.c' | grep -v '^loader/uapi/'; }
uapi_h() { files 'loader/uapi/*.h'; }
uapi_ignore=BIT_MACRO,CONSTANT_CONVERSION,INLINE,PREFER_DEFINED_ATTRIBUTE_MACRO,PREFER_KERNEL_TYPES

# The C and C++ of the userspace, formatted in the root .clang-format's LLVM
# style. Not: kernel C (checkpatch's), the userspace C written in the
# kernel's style (tests/vm, like the kselftests, tests/gate/programs and
# the tutorial's programs, userspace/examples/tutorial: their .clang-format
# disables formatting; in tests/rewrite/programs, whose
# other programs are LLVM style, the two kernel-style ones by name), and
# the verifier's test inputs (tests/verifier/corpus: its expectations name
# lines).
format_files() {
	files '*.cpp' '*.hpp' '*.cc' '*.h' '*.c' |
		grep -v -E '^(kml/|loader/(uapi/|[^/]*$)|tests/vm/|tests/gate/programs/|tests/verifier/corpus/|userspace/examples/tutorial/)' |
		grep -v -x -E 'tests/rewrite/programs/(finder_probe|rawlib)\.c'
}

# Shell: *.sh and the scripts without the suffix whose #! names a shell.
shell_files() {
	{
		files '*.sh'
		files | grep -v -E '\.(sh|c|h|cpp|hpp|cc|S|patch|md|txt|json|cmake)$' |
			xargs -r -d '\n' awk 'FNR == 1 && /^#!.*\/(env +)?(ba|da)?sh( |$)/ { print FILENAME } { nextfile }'
	} | sort -u
}

# checkpatch.pl and its data files from the tarball, once (about 12 s);
# a new tarball unpacks them again.
checkpatch_script() {
	local dir=$lintdir/linux stamp
	stamp=$(stat -c '%s %Y' "$tarball" 2>/dev/null) || die "$tarball not found: run 'make deps'"
	if [ "$(cat "$dir/.stamp" 2>/dev/null)" != "$stamp" ]; then
		rm -rf "$dir"
		mkdir -p "$dir" || die "cannot create $dir"
		tar -xJf "$tarball" -C "$dir" --strip-components=1 --wildcards \
			'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
			'*/scripts/const_structs.checkpatch' || die "cannot unpack checkpatch.pl from $tarball"
		echo "$stamp" >"$dir/.stamp"
	fi
	echo "$dir/scripts/checkpatch.pl"
}

# checkpatch --terse: "file:line: TYPE:NAME: message" (file mode) and the
# same with the patch's own path and line for a patch. GIT_DIR points
# nowhere for the patches: in a git tree checkpatch takes a tracked .patch
# for a source file. Its status: 0 clean, 1 findings, more a failure.
checkpatch() {
	perl "$checkpatch" --strict --no-tree --terse --show-types --no-summary --quiet "$@"
	[ $? -le 1 ] || die "checkpatch.pl failed on $*"
}

run_checkpatch() {
	local patch kernel uapi
	need perl
	checkpatch=$(checkpatch_script) || exit 2
	mapfile -t kernel < <(kernel_c)
	mapfile -t uapi < <(uapi_h)
	{
		while IFS= read -r patch; do
			# FILE_PATH_CHANGES asks every patch that adds a file
			# for a MAINTAINERS hunk: the series is kept out of tree.
			GIT_DIR=/nonexistent checkpatch --ignore FILE_PATH_CHANGES \
				"kml/patches/$patch"
		done < <(grep -vE '^[[:space:]]*(#|$)' kml/patches/series)
		[ ${#kernel[@]} -eq 0 ] || checkpatch -f "${kernel[@]}"
		[ ${#uapi[@]} -eq 0 ] || checkpatch --ignore "$uapi_ignore" -f "${uapi[@]}"
	} >"$lintdir/checkpatch.raw" || exit 2
	sed -n 's/^\([^:]*\):\([0-9]*\): \(.*\)$/\1:\2: checkpatch: \3/p' "$lintdir/checkpatch.raw"
}

# clang-format: one finding per line it would change. It exits 1 both on
# findings and on errors (a bad .clang-format): a failure without any
# finding is an error.
run_clang_format() {
	local sources status
	need "$clang_format"
	mapfile -t sources < <(format_files)
	[ ${#sources[@]} -gt 0 ] || return 0
	"$clang_format" --dry-run -Werror "${sources[@]}" >"$lintdir/clang-format.raw" 2>&1
	status=$?
	sed -n 's/^\([^ :][^:]*\):\([0-9]*\):[0-9]*: error: \(.*\) \[-Wclang-format-violations\]$/\1:\2: clang-format: \3/p' \
		"$lintdir/clang-format.raw" | sort -u -t: -k1,1 -k2,2n >"$lintdir/clang-format.found"
	if [ "$status" != 0 ] && [ ! -s "$lintdir/clang-format.found" ]; then
		cat "$lintdir/clang-format.raw" >&2
		die "$clang_format failed"
	fi
	cat "$lintdir/clang-format.found"
}

run_clang_tidy() {
	need "$clang_tidy"
	need "$scan_deps"
	need python3
	[ -f "$hostdir/build.ninja" ] || die "$hostdir is not configured: run 'make host-tools'"
	# A CMakeLists.txt changed since the last configure: configure again,
	# so compile_commands.json lists today's sources.
	flock "$hostdir.lock" ninja -C "$hostdir" build.ninja >/dev/null || die "cannot reconfigure $hostdir"
	python3 scripts/lint-tidy.py --top "$top" --build "$hostdir" --cache "$tidy_cache" \
		--clang-tidy "$clang_tidy" --scan-deps "$scan_deps" --jobs "$jobs" ${base:+--base "$base"} ||
		die "clang-tidy could not run"
}

# Exit status of shellcheck: 0 clean, 1 findings, more a failure.
run_shellcheck() {
	local scripts
	need shellcheck
	mapfile -t scripts < <(shell_files)
	[ ${#scripts[@]} -gt 0 ] || return 0
	shellcheck -f gcc "${scripts[@]}" >"$lintdir/shellcheck.raw"
	[ $? -le 1 ] || die "shellcheck failed"
	sed -n 's/^\([^:]*\):\([0-9]*\):[0-9]*: \(.*\)$/\1:\2: shellcheck: \3/p' "$lintdir/shellcheck.raw"
}

# The folders' layering (scripts/lint-layers.py): an include path from
# one top-level folder into another that its README does not allow, and
# any "../" include in kml.ko's C. Status: 0 clean, 1 findings.
run_layers() {
	need python3
	[ -f "$hostdir/compile_commands.json" ] ||
		die "$hostdir/compile_commands.json is missing: run 'make host-tools'"
	python3 scripts/lint-layers.py "$top" "$hostdir/compile_commands.json"
	[ $? -le 1 ] || die "lint-layers.py failed"
}

mkdir -p "$lintdir" || die "cannot create $lintdir"
total=0
summary=()
for tool in "${tools[@]}"; do
	out=$lintdir/$tool.out
	start=$SECONDS
	case $tool in
	checkpatch) run_checkpatch ;;
	clang-format) run_clang_format ;;
	clang-tidy) run_clang_tidy ;;
	shellcheck) run_shellcheck ;;
	layers) run_layers ;;
	esac >"$out" || exit 2
	cat "$out"
	n=$(grep -c . "$out")
	total=$((total + n))
	summary+=("$tool $n ($((SECONDS - start)) s)")
done
printf -v joined '%s, ' "${summary[@]}"
echo "lint: $total findings: ${joined%, }"
[ "$total" -eq 0 ]
