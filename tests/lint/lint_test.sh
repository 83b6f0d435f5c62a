#!/usr/bin/env bash
# Test of scripts/lint.sh: a scratch git tree with the script, a kernel C
# file, C++ sources, a compile_commands.json and a shell script, each with
# one finding; lint must list exactly those and exit 1, then exit 0 once
# they are fixed, and exit 2 when a tool cannot run.
#
#   lint_test.sh SOURCE_DIR
set -uo pipefail
src=$(cd "${1:?usage: lint_test.sh SOURCE_DIR}" && pwd)

for tool in clang-format-19 clang-tidy-19 clang-scan-deps-19 shellcheck perl python3 git ninja; do
	command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed"; exit 77; }
done
[ -r /usr/src/linux-source-6.12.tar.xz ] || { echo "SKIP: no linux-source-6.12"; exit 77; }

tree=$(mktemp -d)
# A second copy of the tree, at a path that sorts after /usr (see below).
elsewhere=$(mktemp -d -p /var/tmp)
trap 'rm -rf "$tree" "$elsewhere"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

mkdir -p "$tree/scripts" "$tree/kml/patches" "$tree/build/host" "$tree/build/lint"
cp "$src/scripts/lint.sh" "$src/scripts/lint-tidy.py" "$src/scripts/lint-layers.py" "$src/.clang-format" "$tree/scripts/" 2>/dev/null
mv "$tree/scripts/.clang-format" "$tree/.clang-format"
# checkpatch.pl as lint.sh unpacked it for the source tree, if it did:
# saves unpacking the tarball again.
[ -f "$src/build/lint/linux/.stamp" ] && cp -a "$src/build/lint/linux" "$tree/build/lint/"
cd "$tree" || exit 1
# clang-tidy's cache in the scratch tree, not the user's.
export KML_LINT_CACHE=$tree/build/lint/tidy
git init -q .
printf '/build/\n' >.gitignore
: >kml/patches/series
printf 'Checks: "-*,modernize-use-nullptr"\n' >.clang-tidy

# One finding each: spaces for a tab (checkpatch), a one-line function
# body split over lines (clang-format), 0 for a null pointer (clang-tidy),
# an unquoted expansion (shellcheck).
cat >kml/bad.c <<'C'
// SPDX-License-Identifier: GPL-2.0
int kml_answer(void)
{
        return 42;
}
C
printf 'int twice(int x)\n{\n  return 2 * x;\n}\n' >format.cpp
printf 'int *none() { return 0; }\n' >tidy.cpp
# Clean, and includes a system header: its cache key names files inside
# and outside the tree.
printf '#include <cstddef>\nstd::size_t one() { return 1; }\n' >header.cpp
# shellcheck disable=SC2016 # the scratch script's $1, unexpanded
printf '#!/bin/sh\necho $1\n' >scripts/bad.sh
cat >build/host/compile_commands.json <<JSON
[{"directory": "$tree", "file": "$tree/tidy.cpp", "command": "c++ -std=c++20 -c tidy.cpp -o tidy.o"},
 {"directory": "$tree", "file": "$tree/format.cpp", "command": "c++ -std=c++20 -c format.cpp -o format.o"},
 {"directory": "$tree", "file": "$tree/header.cpp", "command": "c++ -std=c++20 -c header.cpp -o header.o"}]
JSON
# lint.sh asks ninja to configure again if needed: nothing to do here.
printf 'rule none\n  command = true\nbuild build.ninja: none\n' >build/host/build.ninja

out=$(scripts/lint.sh 2>&1)
status=$?
echo "$out"
[ "$status" = 1 ] || fail "exit status $status with findings, want 1"
for want in \
	'^kml/bad\.c:4: checkpatch: ERROR:CODE_INDENT: ' \
	'^format\.cpp:1: clang-format: code should be clang-formatted$' \
	'^tidy\.cpp:1: clang-tidy: use nullptr \[modernize-use-nullptr\]$' \
	'^scripts/bad\.sh:2: shellcheck: .*\[SC2086\]$' \
	'^lint: [0-9]+ findings: checkpatch [1-9][0-9]* \(.*\), clang-format [1-9][0-9]* \(.*\), clang-tidy 1 \(.*\), shellcheck 1 \(.*\)$'; do
	grep -qE "$want" <<<"$out" || fail "no line matching $want"
done

# The same findings again, clang-tidy's from its cache.
again=$(scripts/lint.sh clang-tidy 2>&1)
grep -q 'lint-tidy: 3 units, 3 cached, 0 run' <<<"$again" || fail "clang-tidy did not use its cache: $again"
grep -q '^tidy\.cpp:1: clang-tidy: use nullptr' <<<"$again" || fail "the cached finding is missing: $again"

# A clone of the same files elsewhere (CI's clean clone) finds them in the
# cache too: the keys name files by their place in the tree, and order
# them by it (a tree in /tmp sorts before /usr's headers, /var/tmp after).
cp -a "$tree/." "$elsewhere/"
sed -i "s#$tree#$elsewhere#g" "$elsewhere/build/host/compile_commands.json"
moved=$(cd "$elsewhere" && scripts/lint.sh clang-tidy 2>&1)
grep -q 'lint-tidy: 3 units, 3 cached, 0 run' <<<"$moved" || fail "a copy of the tree elsewhere missed the cache: $moved"

# Fixed: no finding, status 0.
printf '// SPDX-License-Identifier: GPL-2.0\nint kml_answer(void)\n{\n\treturn 42;\n}\n' >kml/bad.c
printf 'int twice(int x) { return 2 * x; }\n' >format.cpp
printf 'int *none() { return nullptr; }\n' >tidy.cpp
# shellcheck disable=SC2016
printf '#!/bin/sh\necho "$1"\n' >scripts/bad.sh
out=$(scripts/lint.sh 2>&1)
status=$?
[ "$status" = 0 ] || fail "exit status $status without findings, want 0: $out"
grep -qE '^lint: 0 findings: ' <<<"$out" || fail "no summary of 0 findings: $out"

# --base: only the units that include a file changed since the revision.
git add -A && git -c user.name=t -c user.email=t@t commit -qm fixture
out=$(scripts/lint.sh --base HEAD clang-tidy 2>&1)
grep -q 'lint-tidy: 0 units' <<<"$out" || fail "--base HEAD checked units: $out"
printf 'int *none() { return 0; }\n' >tidy.cpp
out=$(scripts/lint.sh --base HEAD clang-tidy 2>&1)
grep -q 'lint-tidy: 1 units' <<<"$out" || fail "--base HEAD did not check the changed unit: $out"

# A tool that cannot run is an error (2), not a clean result.
printf 'BasedOnStyle: NoSuchStyle\n' >.clang-format
scripts/lint.sh clang-format >/dev/null 2>&1
status=$?
[ "$status" = 2 ] || fail "exit status $status with a broken .clang-format, want 2"

[ "$failures" = 0 ] && echo "PASS"
[ "$failures" = 0 ]
