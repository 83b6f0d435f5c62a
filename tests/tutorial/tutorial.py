#!/usr/bin/env python3
"""Turn docs/tutorial.md into tests, so that the tutorial cannot rot.

    tutorial.py guest-test DOC OUT    write OUT, a busybox sh script that
                                      runs the tour's VM commands in the VM
                                      and prints TAP, a line per step
    tutorial.py host-test DOC [TOP]   run the host commands of blocks marked
                                      "console host-test", each in its own
                                      bash from TOP (the repository's top),
                                      and compare (TAP, a line a block)
    tutorial.py check DOC             only parse: exit 1 on a malformed doc

The format (the tutorial's "How this file is tested" says it for readers):
a step is a level-2 heading that starts with its number ("## 3. Marking a
program"). In a ```console block, a line starting "# " is a command typed
in the VM's root shell, "$ " one typed on the host; the lines after a
command are what it prints. In an expected line "..." stands for any text;
a line that is only "..." for any number of lines. A block holds host or
VM commands, never both. VM commands of all steps run in order in one
shell, as a student types them: a cd or a loaded module carries over.
The guest script is plain busybox sh and awk: the VM has no Python.
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from pathlib import Path

STEP_HEADING = re.compile(r"^## (\d+)\. (.+?)\s*$")
FENCE = re.compile(r"^(```+|~~~+)\s*(.*)$")
ANY_LINES = "..."
ANY_TEXT = "..."
# What an interactive busybox shell prints before its own error messages;
# the generated script runs commands with eval, whose messages say
# "SCRIPT: eval: line N: " instead.
EVAL_PREFIX = r"^[^ ]*: eval: line [0-9]*: "


class TutorialError(Exception):
    """The document breaks the format: says where and why."""


@dataclasses.dataclass
class Command:
    text: str
    expected: list[str]


@dataclasses.dataclass
class Block:
    line: int  # where the block starts in the document, 1-based
    where: str  # "vm" or "host"
    checked_on_host: bool
    commands: list[Command]


@dataclasses.dataclass
class Step:
    number: int
    title: str
    blocks: list[Block]

    def commands(self, where: str) -> list[Command]:
        return [c for b in self.blocks if b.where == where for c in b.commands]


def parse_block(lines: list[str], start: int, info: str) -> Block:
    words = info.split()
    where = None
    commands: list[Command] = []
    for offset, text in enumerate(lines):
        for prompt, kind in (("# ", "vm"), ("$ ", "host")):
            if text.startswith(prompt) or text == prompt.strip():
                if where not in (None, kind):
                    raise TutorialError(
                        f"line {start + 1 + offset}: a block holds host "
                        "($) or VM (#) commands, not both")
                where = kind
                commands.append(Command(text[len(prompt):], []))
                break
        else:
            if not commands:
                raise TutorialError(
                    f"line {start + 1 + offset}: output before any command")
            commands[-1].expected.append(text)
    if where is None:
        raise TutorialError(f"line {start}: a console block without a command")
    if "host-test" in words and where != "host":
        raise TutorialError(f"line {start}: host-test on a VM block")
    return Block(start, where, "host-test" in words, commands)


def parse(doc: Path) -> list[Step]:
    steps: list[Step] = []
    current: Step | None = None  # console blocks outside steps are examples
    lines = doc.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        heading = STEP_HEADING.match(lines[i])
        if heading:
            number = int(heading.group(1))
            if number != len(steps) + 1:
                raise TutorialError(
                    f"line {i + 1}: step {number} after step {len(steps)}")
            current = Step(number, heading.group(2), [])
            steps.append(current)
        elif lines[i].startswith("## "):
            current = None
        fence = FENCE.match(lines[i])
        if not fence:
            i += 1
            continue
        end = i + 1
        while end < len(lines) and lines[end].rstrip() != fence.group(1):
            end += 1
        if end == len(lines):
            raise TutorialError(f"line {i + 1}: unclosed code block")
        info = fence.group(2).split()
        if info and info[0] == "console" and current is not None:
            current.blocks.append(
                parse_block(lines[i + 1:end], i + 1, fence.group(2)))
        i = end + 1
    if not steps:
        raise TutorialError("no steps (## 1. Title)")
    return steps


def shell_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def heredoc(text: str) -> str:
    marker = "KML_TUTORIAL_EOF"
    while marker in text:
        marker += "_"
    return f"<<'{marker}'\n{text}{marker}\n"


# The guest script's fixed part: the matcher and the step runner.
GUEST_PROLOGUE = r"""#!/bin/sh
# Generated from docs/tutorial.md by tests/tutorial/tutorial.py: edit those.
# Runs the tour's VM commands in one shell, in order, as a student types
# them, and prints a TAP line per step: "not ok" with a diff of what the
# step printed against what the tutorial says when they differ.
work=$(mktemp -d /tmp/tutorial-test.XXXXXX) || exit 1
rc=0
set_status() { return "$1"; }
# The tour quiets the console (dmesg -n) so that kernel lines do not land
# in a student's output; the test keeps it as it is: kml-vmrun watches the
# console for kernel reports. Every other use of dmesg goes through.
dmesg() {
	case $1 in
	-n) return 0 ;;
	esac
	command dmesg "$@"
}

# run COMMAND: runs it as the student would and compares what it prints
# with $work/expected; a difference goes into $work/report.
run() {
	set_status "$rc"
	eval "$1" >"$work/out" 2>&1 </dev/null
	rc=$?
	sed -e 's/__EVAL_PREFIX__/sh: /' "$work/out" >"$work/actual"
	matches "$work/expected" "$work/actual" && return
	{
		echo "# $1"
		echo "# the tutorial says (-), the VM printed (+):"
		diff -u "$work/expected" "$work/actual" | sed -e 1,2d -e 's/^/# /'
	} >>"$work/report"
}

# matches EXPECTED ACTUAL: the tutorial's "..." is any text within a line,
# or any number of lines when alone on one.
matches() {
	awk -v any='__ANY__' '
	function line_matches(pat, text,    parts, n, k, pos, at) {
		n = split(pat, parts, "\\.\\.\\.")
		if (n == 1)
			return pat == text
		if (substr(text, 1, length(parts[1])) != parts[1])
			return 0
		pos = length(parts[1]) + 1
		for (k = 2; k < n; k++) {
			at = index(substr(text, pos), parts[k])
			if (at == 0)
				return 0
			pos += at - 1 + length(parts[k])
		}
		if (length(text) - pos + 1 < length(parts[n]))
			return 0
		return substr(text, length(text) - length(parts[n]) + 1) == parts[n]
	}
	FNR == NR { e[++ne] = $0; next }
	{ a[++na] = $0 }
	END {
		m[ne + 1, na + 1] = 1
		for (i = ne; i >= 1; i--)
			for (j = na + 1; j >= 1; j--)
				if (e[i] == any)
					m[i, j] = m[i + 1, j] || (j <= na && m[i, j + 1])
				else
					m[i, j] = j <= na && m[i + 1, j + 1] &&
						line_matches(e[i], a[j])
		exit m[1, 1] ? 0 : 1
	}' "$1" "$2"
}

# step N TITLE: the step's TAP line, with the differences of its commands.
step() {
	if [ -s "$work/report" ]; then
		echo "not ok $1 $2"
		cat "$work/report"
		failed=1
	else
		echo "ok $1 $2"
	fi
	: >"$work/report"
}
"""

GUEST_EPILOGUE = r"""
# Whatever the tour left: the module (other tests load their own). Not
# when tutorial_test.py runs a script on the host.
cd /
[ -n "${KML_TUTORIAL_ON_HOST:-}" ] || rmmod kml 2>/dev/null
rm -rf "$work"
exit ${failed:-0}
"""


def guest_test(steps: list[Step]) -> str:
    out = [
        GUEST_PROLOGUE.replace("__EVAL_PREFIX__", EVAL_PREFIX.replace(
            "/", r"\/")).replace("__ANY__", ANY_LINES),
        f"echo 1..{len(steps)}\n",
        ': >"$work/report"\n',
    ]
    for step in steps:
        title = f"{step.number}. {step.title}"
        commands = step.commands("vm")
        out.append(f"\n# Step {title}\n")
        if not commands:
            out.append(f"echo {shell_quote(f'ok {step.number} {step.title} # SKIP host commands only, not run in the VM')}\n")
            continue
        for command in commands:
            expected = "".join(e + "\n" for e in command.expected)
            out.append('cat >"$work/expected" ' + heredoc(expected))
            out.append(f"run {shell_quote(command.text)}\n")
        out.append(f"step {step.number} {shell_quote(step.title)}\n")
    out.append(GUEST_EPILOGUE)
    return "".join(out)


def line_matches(pattern: str, text: str) -> bool:
    if ANY_TEXT not in pattern:
        return pattern == text
    regex = ".*".join(re.escape(p) for p in pattern.split(ANY_TEXT))
    return re.fullmatch(regex, text, re.DOTALL) is not None


def lines_match(expected: list[str], actual: list[str]) -> bool:
    # The guest's matcher, in Python: "..." alone matches any lines.
    memo: dict[tuple[int, int], bool] = {}

    def match(i: int, j: int) -> bool:
        if (i, j) not in memo:
            if i == len(expected):
                memo[i, j] = j == len(actual)
            elif expected[i] == ANY_LINES:
                memo[i, j] = match(i + 1, j) or (
                    j < len(actual) and match(i, j + 1))
            else:
                memo[i, j] = (j < len(actual)
                              and line_matches(expected[i], actual[j])
                              and match(i + 1, j + 1))
        return memo[i, j]

    return match(0, 0)


def host_test(steps: list[Step], top: Path) -> int:
    """Runs the host-test blocks with bash from the top of the tree."""
    blocks = [(s, b) for s in steps for b in s.blocks if b.checked_on_host]
    print(f"1..{len(blocks)}")
    failed = 0
    for number, (step, block) in enumerate(blocks, 1):
        ok = True
        for command in block.commands:
            done = subprocess.run(["bash", "-c", command.text], cwd=top,
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True,
                                  check=False)
            actual = done.stdout.splitlines()
            if not lines_match(command.expected, actual):
                ok = False
                print(f"# $ {command.text}")
                print("# the tutorial says:")
                print("".join(f"#   {e}\n" for e in command.expected), end="")
                print("# the host printed:")
                print("".join(f"#   {a}\n" for a in actual), end="")
        print(f"{'ok' if ok else 'not ok'} {number} step {step.number}, "
              f"the block at line {block.line}")
        failed += not ok
    return 1 if failed else 0


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] not in ("guest-test", "host-test", "check"):
        print(__doc__, file=sys.stderr)
        return 2
    doc = Path(argv[2])
    try:
        steps = parse(doc)
    except TutorialError as err:
        print(f"{doc}: {err}", file=sys.stderr)
        return 1
    if argv[1] == "guest-test":
        out = Path(argv[3])
        tmp = out.with_name(out.name + ".tmp")
        tmp.write_text(guest_test(steps), encoding="utf-8")
        tmp.chmod(0o755)
        os.replace(tmp, out)
        return 0
    if argv[1] == "host-test":
        top = Path(argv[3]) if len(argv) > 3 else Path(__file__).resolve().parents[2]
        return host_test(steps, top)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
