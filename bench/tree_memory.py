#!/usr/bin/env python3
"""tree_memory.py CMD [ARGS...]: runs a command and samples, every 10 ms, the memory of its whole process
tree (the command and every descendant, e.g. fleetpack's forked Binaryen workers): the sum of RSS and the
sum of PSS (proportional set size: pages shared between a parent and its forked child count once, split
between them). Prints on stderr's last line: "<wall s> <peak tree PSS KiB> <peak tree RSS KiB>
<largest single-process RSS KiB (wait4/getrusage)> <exit code>". The command's own output passes through."""
import os
import resource
import subprocess
import sys
import time


def children(pid):
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return out


def field_kib(path, name):
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(name):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def main():
    if len(sys.argv) < 2:
        sys.stderr.write(__doc__ + "\n")
        return 2
    start = time.monotonic()
    proc = subprocess.Popen(sys.argv[1:])
    peak_pss = peak_rss = 0
    while proc.poll() is None:
        tree, todo = [], [proc.pid]
        while todo:
            p = todo.pop()
            tree.append(p)
            todo += children(p)
        pss = sum(field_kib(f"/proc/{p}/smaps_rollup", "Pss:") for p in tree)
        rss = sum(field_kib(f"/proc/{p}/status", "VmRSS:") for p in tree)
        peak_pss, peak_rss = max(peak_pss, pss), max(peak_rss, rss)
        time.sleep(0.01)
    wall = time.monotonic() - start
    single = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    code = proc.returncode if proc.returncode >= 0 else 128 - proc.returncode
    sys.stderr.write(f"{wall:.3f} {peak_pss} {peak_rss} {single} {code}\n")
    return code


if __name__ == "__main__":
    sys.exit(main())
