#!/usr/bin/env python3
"""Reference model of `kvstore --batch`: the same workload on a Python dict.

Usage: batch_model.py KVSTORE CAPACITY OPS SEED
Runs the ring-0 binary and checks that its totals and checksum equal the
model's, which proves the open-addressing table (probing, tombstones,
rebuilds, the capacity limit) behaves like a plain dictionary.
"""
import subprocess
import sys

M64 = (1 << 64) - 1


def fnv1a(text):
    h = 0xCBF29CE484222325
    for b in text.encode():
        h = ((h ^ b) * 0x100000001B3) & M64
    return h


def model(capacity, ops, seed):
    state = seed or 1
    table = {}
    hits = misses = sets = full = dels = checksum = 0
    for i in range(ops):
        state ^= (state << 13) & M64
        state ^= state >> 7
        state ^= (state << 17) & M64
        r = state
        key = "k%d" % (r % (capacity * 2))
        kind = (r >> 32) % 10
        if kind < 5:
            if key in table:
                hits += 1
                checksum = (checksum * 31 + fnv1a(table[key])) & M64
            else:
                misses += 1
        elif kind < 9:
            if key not in table and len(table) == capacity:
                full += 1
            else:
                table[key] = "v%d" % i
                sets += 1
        elif key in table:
            del table[key]
            dels += 1
    return ("ops=%d gets=%d hits=%d sets=%d full=%d dels=%d count=%d "
            "checksum=%d\n" % (ops, hits + misses, hits, sets, full, dels,
                               len(table), checksum))


def main():
    app, capacity, ops, seed = sys.argv[1], *map(int, sys.argv[2:5])
    got = subprocess.run([app, "--capacity", str(capacity), "--batch",
                          str(ops), "--seed", str(seed)], check=True,
                         capture_output=True, text=True, timeout=120).stdout
    want = model(capacity, ops, seed)
    if got != want:
        print("kvstore: " + got + "model:   " + want, end="")
        return 1
    print("batch matches the model: " + got, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
