#!/usr/bin/env python3
"""clang-tidy over kml's C++ translation units, for scripts/lint.sh.

Runs clang-tidy on every translation unit of a compile_commands.json that
belongs to the project (not the build tree's generated ones) and prints its
findings as "path:line: clang-tidy: message [check]", relative to the top,
sorted and without duplicates (a header's finding comes once, however many
units include it).

A full run is slow (the verifier's units parse Clang's headers: about half a
minute each), so each unit's findings are cached under a key of everything
they depend on: the clang-tidy version, the .clang-tidy files, the unit's
compile command, the content of every file it includes (the list comes
from clang-scan-deps, a few seconds for all units) and this script's
CACHE_FORMAT. A unit whose key is in the cache is not run again; the
output is the same as a full run's. The key names the project's files by
their path in the tree, not on the disk, so clones of the same commit
share one cache (CI's clean clones included).

A unit built with a precompiled header (CMake's -include cmake_pch.hxx)
is checked without it: the header pulls Clang's AST headers into every
verifier unit, needed or not (45 s instead of 1.5 s for one that needs
none), and clang-tidy cannot read GCC's .gch anyway. A unit that only
compiled thanks to the header's includes fails here, as it should: it
must include what it uses.

--base REV checks only the units that include a file changed since REV (in
a commit or in the working tree), for a quick look before a commit.

Exit status: 0 (findings or not), 2 when a tool cannot run.
"""

import argparse
import concurrent.futures
import hashlib
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Part of every cache key: a change to what a cached result holds (this
# script's parsing or output) must change it.
CACHE_FORMAT = "kml-lint-tidy 2"
FINDING = re.compile(r"^(?P<path>[^ :][^:]*):(?P<line>\d+):\d+: (?P<level>warning|error): (?P<message>.*)$")


def fail(message):
    print(f"lint-tidy: {message}", file=sys.stderr)
    sys.exit(2)


def project_units(database, top, build):
    """The database's entries for the project's own sources, by path."""
    units = {}
    for entry in database:
        path = Path(entry["directory"], entry["file"]).resolve()
        if not path.is_relative_to(top) or path.is_relative_to(build):
            continue
        if path.exists():
            units[path] = entry
    return units


def arguments_of(entry):
    if "arguments" in entry:
        return list(entry["arguments"])
    return shlex.split(entry["command"])


def is_pch_header(path):
    return Path(path).name.startswith("cmake_pch.")


def without_pch(entry):
    """The entry without CMake's precompiled header: GCC's form
    (-include .../cmake_pch.hxx, with a .gch beside it) and Clang's
    (-Xclang -include-pch -Xclang X.pch -Xclang -include -Xclang X)."""
    args = arguments_of(entry)
    kept = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "-include" and i + 1 < len(args) and is_pch_header(args[i + 1]):
            i += 2
            continue
        if arg.startswith("-include") and is_pch_header(arg[len("-include"):]):
            i += 1
            continue
        if (arg == "-Xclang" and i + 3 < len(args) and args[i + 1] in ("-include-pch", "-include")
                and args[i + 2] == "-Xclang" and is_pch_header(args[i + 3])):
            i += 4
            continue
        if arg == "-Winvalid-pch":
            i += 1
            continue
        kept.append(arg)
        i += 1
    stripped = {k: v for k, v in entry.items() if k not in ("arguments", "command")}
    stripped["arguments"] = kept
    return stripped


def parse_make_rules(text):
    """clang-scan-deps' make output: {source: [dependencies]}, the source
    being the first prerequisite of each rule."""
    deps = {}
    for rule in text.replace("\\\n", " ").splitlines():
        if ":" not in rule:
            continue
        _, prerequisites = rule.split(": ", 1)
        files = [Path(p).resolve() for p in prerequisites.split()]
        if files:
            deps[files[0]] = files
    return deps


def scan_dependencies(scan_deps, units, workdir, jobs):
    """Every file each unit includes, from clang-scan-deps. A unit it
    cannot scan gets no entry (and is then always run)."""
    database = workdir / "scan-database.json"
    database.write_text(json.dumps(list(units.values())))
    result = subprocess.run(
        [scan_deps, "-compilation-database", str(database), "-j", str(jobs), "-format", "make"],
        capture_output=True, text=True, check=False)
    return parse_make_rules(result.stdout)


class KeyMaker:
    """Cache keys: a hash of the inputs of one clang-tidy run. Files in the
    project count by content, system headers by size and time (a package
    upgrade changes them)."""

    def __init__(self, top, tool_version, configs):
        self.top = top
        self.top_text = str(top)
        self.file_hashes = {}
        self.base = hashlib.sha256()
        self.base.update(CACHE_FORMAT.encode() + b"\0" + tool_version.encode())
        for config in configs:
            self.base.update(self.name(config).encode() + b"\0" + config.read_bytes())

    def name(self, path):
        """A file's name in the key: its place in the tree for the
        project's files, wherever the tree is."""
        return str(path.relative_to(self.top)) if path.is_relative_to(self.top) else str(path)

    def file_digest(self, path):
        if path not in self.file_hashes:
            try:
                if path.is_relative_to(self.top):
                    digest = hashlib.sha256(path.read_bytes()).hexdigest()
                else:
                    stat = path.stat()
                    digest = f"{stat.st_size}:{stat.st_mtime_ns}"
            except OSError:
                digest = "missing"
            self.file_hashes[path] = digest
        return self.file_hashes[path]

    def key(self, entry, dependencies):
        h = self.base.copy()
        h.update(json.dumps(entry, sort_keys=True).replace(self.top_text, "@top@").encode())
        # Sorted by name, not by path: where the tree is must not change
        # the order (a clone in /tmp sorts before /usr, one in /work after).
        for name, digest in sorted((self.name(dep), self.file_digest(dep)) for dep in set(dependencies)):
            h.update(f"{name}\0{digest}\n".encode())
        return h.hexdigest()


def findings_of(output, top, directory):
    """clang-tidy's warnings and errors in project files, normalised. A
    relative path is the compile command's, from its directory."""
    lines = set()
    for raw in output.splitlines():
        match = FINDING.match(raw)
        if not match:
            continue
        path = Path(directory, match["path"]).resolve()
        if not path.is_relative_to(top):
            continue
        lines.add(f"{path.relative_to(top)}:{match['line']}: clang-tidy: {match['message']}")
    return sorted(lines)


def run_tidy(clang_tidy, database, source, entry, top):
    """The unit's findings, and whether they may be cached: not when
    clang-tidy was killed (a signal: out of memory, a file that changed
    under it), which another run may not repeat."""
    result = subprocess.run([clang_tidy, "-p", str(database), "--quiet", str(source)],
                            capture_output=True, text=True, check=False)
    found = findings_of(result.stdout + result.stderr, top, entry["directory"])
    if result.returncode != 0 and not found:
        # A crash or an unreadable database entry: a finding, not silence.
        found = [f"{source.relative_to(top)}:1: clang-tidy: exited with {result.returncode}"]
    return found, result.returncode >= 0


def changed_files(top, base):
    """Files changed since base: committed, staged, unstaged or new."""
    changed = subprocess.run(["git", "-C", str(top), "diff", "--name-only", base, "--"],
                             capture_output=True, text=True, check=True).stdout.split()
    changed += subprocess.run(["git", "-C", str(top), "ls-files", "--others", "--exclude-standard"],
                              capture_output=True, text=True, check=True).stdout.split()
    return {(top / name).resolve() for name in changed}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--top", required=True, type=Path)
    parser.add_argument("--build", required=True, type=Path, help="the directory of compile_commands.json")
    parser.add_argument("--cache", required=True, type=Path)
    parser.add_argument("--clang-tidy", default="clang-tidy-19")
    parser.add_argument("--scan-deps", default="clang-scan-deps-19")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--base", help="only units that include a file changed since this revision")
    args = parser.parse_args()

    top = args.top.resolve()
    build = args.build.resolve()
    database_path = build / "compile_commands.json"
    if not database_path.exists():
        fail(f"{database_path} missing: configure the host build first (make host-tools)")
    units = project_units(json.loads(database_path.read_text()), top, top / "build")
    try:
        version = subprocess.run([args.clang_tidy, "--version"], capture_output=True,
                                 text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        fail(f"{args.clang_tidy}: {error}")

    args.cache.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    units = {source: without_pch(entry) for source, entry in units.items()}
    # The database clang-tidy and clang-scan-deps read: this run's own, as
    # the cache may be shared by several trees.
    workdir_holder = tempfile.TemporaryDirectory(prefix="kml-lint-tidy.")
    workdir = Path(workdir_holder.name)
    (workdir / "compile_commands.json").write_text(json.dumps(list(units.values())))
    deps = scan_dependencies(args.scan_deps, units, workdir, args.jobs)
    configs = sorted(p for p in top.rglob(".clang-tidy") if not p.is_relative_to(top / "build"))
    keys = KeyMaker(top, version, configs)

    if args.base:
        changed = changed_files(top, args.base) | set(configs)
        units = {s: e for s, e in units.items()
                 if s in changed or any(d in changed for d in deps.get(s, []))}

    todo = []
    findings = set()
    cached = 0
    for source, entry in sorted(units.items()):
        key = keys.key(entry, deps[source]) if source in deps else None
        cache_file = args.cache / f"{key}.txt" if key else None
        if cache_file and cache_file.exists():
            findings.update(cache_file.read_text().splitlines())
            cached += 1
        else:
            todo.append((source, cache_file))

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        runs = {pool.submit(run_tidy, args.clang_tidy, workdir, source, units[source], top): (source, cache_file)
                for source, cache_file in todo}
        for run in concurrent.futures.as_completed(runs):
            found, repeatable = run.result()
            findings.update(found)
            source, cache_file = runs[run]
            # The inputs again, read after clang-tidy: a file edited during
            # the run must not leave the new file's findings under the old
            # file's key.
            if cache_file and repeatable:
                unchanged = KeyMaker(top, version, configs).key(units[source], deps[source])
                if cache_file.name != f"{unchanged}.txt":
                    continue
                tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_text("".join(f"{line}\n" for line in found))
                tmp.replace(cache_file)

    workdir_holder.cleanup()
    for line in sorted(findings, key=sort_key):
        print(line)
    print(f"lint-tidy: {len(units)} units, {cached} cached, {len(todo)} run, "
          f"{time.monotonic() - started:.0f} s", file=sys.stderr)


def sort_key(line):
    path, number, rest = line.split(":", 2)
    return (path, int(number), rest)


if __name__ == "__main__":
    main()
