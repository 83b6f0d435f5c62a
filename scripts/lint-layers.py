#!/usr/bin/env python3
"""The folders' layering, checked from the compile commands.

Every -I or -isystem of a translation unit in one top-level folder that
points into another is an edge "folder -> folder". The layers below are
what the folder READMEs promise; an edge they do not allow is a finding
("file:1: layers: message", as lint.sh prints findings). Kernel C
(kml/, loader/*.c) is built by Kbuild and has no compile command here:
its layering is kml/ -> loader/ -> <linux/kml.h>, with no "../" include.

usage: lint-layers.py TOP COMPILE_COMMANDS_JSON
"""
import json
import os
import re
import sys

# Each folder and the folders it may include. tests/ sits on top.
ALLOWED = {
    "loader": set(),
    "syscall-shim": {"loader"},
    "userspace": {"loader", "syscall-shim"},
    "verifier": {"loader"},
    "bench": {"loader", "verifier"},
    "tests": {"loader", "syscall-shim", "userspace", "verifier", "bench"},
}

INCLUDE_DIR = re.compile(r"(?:-I|-isystem)\s*(\S+)")


def folder_of(top, path):
    path = os.path.normpath(path)
    if not path.startswith(top + os.sep):
        return None
    first = path[len(top) + 1:].split(os.sep)[0]
    return None if first == "build" else first


def main():
    top = os.path.realpath(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as f:
        units = json.load(f)
    findings = 0
    seen = set()
    for unit in units:
        source = folder_of(top, os.path.realpath(unit["file"]))
        command = unit.get("command") or " ".join(unit.get("arguments", []))
        for match in INCLUDE_DIR.finditer(command):
            target = folder_of(top, os.path.realpath(
                os.path.join(unit["directory"], match.group(1))))
            if not source or not target or source == target:
                continue
            if target in ALLOWED.get(source, set()):
                continue
            key = (unit["file"], target)
            if key in seen:
                continue
            seen.add(key)
            findings += 1
            rel = os.path.relpath(unit["file"], top)
            print(f"{rel}:1: layers: {source}/ includes {target}/"
                  f" ({match.group(1)}), which its README does not allow")
    # Kernel C: no include climbs out of its folder.
    for sub in ("kml", "loader"):
        if not os.path.isdir(os.path.join(top, sub)):
            continue
        for name in sorted(os.listdir(os.path.join(top, sub))):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(top, sub, name)
            with open(path, encoding="utf-8") as f:
                for number, line in enumerate(f, 1):
                    if re.match(r'\s*#\s*include\s*"\.\./', line):
                        findings += 1
                        print(f"{sub}/{name}:{number}: layers: an include"
                              " out of the folder; kml.ko's layers are"
                              " kml/ -> loader/loader.h -> <linux/kml.h>")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
