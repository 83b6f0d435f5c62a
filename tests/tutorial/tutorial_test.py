#!/usr/bin/env python3
"""Tests of tutorial.py: the reader, the matcher, and the guest script it
writes, run by busybox sh (as in the VM) on small made-up tours."""

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import tutorial  # noqa: E402

BUSYBOX = shutil.which("busybox")

TOUR = textwrap.dedent("""\
    # A tour

    ```console
    # echo not a step: never run
    ```

    ## 1. Host only

    ```console
    $ make vm
    ...
    ```

    ## 2. Words

    ```console
    # cd /
    # pwd
    /
    # echo "one two"; echo three
    one ...
    three
    # echo status $?
    status 0
    ```

    ## 3. Lines

    ```console
    # printf 'a\\nb\\nc\\nend\\n'
    ...
    end
    # false
    # echo "exit status $?"
    exit status 1
    # ./no-such-program
    sh: ./no-such-program: not found
    ```

    ## How this file is tested

    ```console
    # echo an example: never run
    ```
    """)


def write(tmp: Path, text: str) -> Path:
    doc = tmp / "tour.md"
    doc.write_text(text, encoding="utf-8")
    return doc


class ReaderTest(unittest.TestCase):
    def test_steps_blocks_and_commands(self):
        with tempfile.TemporaryDirectory() as tmp:
            steps = tutorial.parse(write(Path(tmp), TOUR))
        self.assertEqual([s.title for s in steps], ["Host only", "Words", "Lines"])
        self.assertEqual([c.text for c in steps[0].commands("host")], ["make vm"])
        self.assertEqual(steps[0].commands("vm"), [])
        words = steps[1].commands("vm")
        self.assertEqual([c.text for c in words],
                         ["cd /", "pwd", 'echo "one two"; echo three', "echo status $?"])
        self.assertEqual(words[2].expected, ["one ...", "three"])

    def test_refuses_a_block_with_both_prompts(self):
        doc = "## 1. Mixed\n\n```console\n$ make vm\n# ls\n```\n"
        with tempfile.TemporaryDirectory() as tmp:
            with self.assertRaisesRegex(tutorial.TutorialError, "not both"):
                tutorial.parse(write(Path(tmp), doc))

    def test_refuses_steps_out_of_order(self):
        doc = "## 1. One\n\n## 3. Three\n"
        with tempfile.TemporaryDirectory() as tmp:
            with self.assertRaisesRegex(tutorial.TutorialError, "step 3 after step 1"):
                tutorial.parse(write(Path(tmp), doc))


class MatcherTest(unittest.TestCase):
    def test_any_text_within_a_line(self):
        self.assertTrue(tutorial.lines_match(["pid ..., ok"], ["pid 12, ok"]))
        self.assertTrue(tutorial.lines_match(["...x"], ["x"]))
        self.assertFalse(tutorial.lines_match(["pid ..., ok"], ["pid 12, no"]))
        self.assertFalse(tutorial.lines_match(["a...a"], ["a"]))

    def test_any_lines(self):
        self.assertTrue(tutorial.lines_match(["...", "end"], ["a", "b", "end"]))
        self.assertTrue(tutorial.lines_match(["...", "end"], ["end"]))
        self.assertFalse(tutorial.lines_match(["...", "end"], ["end", "more"]))
        self.assertFalse(tutorial.lines_match(["one"], ["one", "two"]))


@unittest.skipIf(BUSYBOX is None, "busybox is not installed")
class GuestScriptTest(unittest.TestCase):
    def run_tour(self, text: str) -> subprocess.CompletedProcess:
        with tempfile.TemporaryDirectory() as tmp:
            doc = write(Path(tmp), text)
            script = Path(tmp) / "tutorial_test"
            self.assertEqual(tutorial.main(["tutorial.py", "guest-test", str(doc),
                                            str(script)]), 0)
            env = dict(os.environ, KML_TUTORIAL_ON_HOST="1")
            return subprocess.run([BUSYBOX, "sh", str(script)], cwd=tmp, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True, timeout=30, check=False)

    def test_a_tour_that_matches_passes(self):
        done = self.run_tour(TOUR)
        self.assertEqual(done.returncode, 0, done.stdout)
        self.assertEqual(done.stdout.splitlines(), [
            "1..3",
            "ok 1 Host only # SKIP host commands only, not run in the VM",
            "ok 2 Words",
            "ok 3 Lines",
        ])

    def test_a_changed_line_fails_its_step_with_a_diff(self):
        done = self.run_tour(TOUR.replace("status 0\n", "status 7\n"))
        self.assertEqual(done.returncode, 1, done.stdout)
        lines = done.stdout.splitlines()
        self.assertIn("not ok 2 Words", lines)
        self.assertIn("ok 3 Lines", lines)
        self.assertIn("# echo status $?", lines)
        self.assertIn("# -status 7", lines)
        self.assertIn("# +status 0", lines)


if __name__ == "__main__":
    unittest.main()
