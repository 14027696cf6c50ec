#!/usr/bin/env python3
"""tests/mutants/move-equivalent.py [--check] [--base REV] [--new]: carry equivalent.txt over a
change of ref/src.

An equivalent mutant's id names a line (FILE:LINE:COL:OPERATOR:REPLACEMENT), so any edit
above it moves the id. For each entry, the file as it was at REV (default HEAD) is matched
line by line with today's (difflib): an entry whose line is unchanged gets its new line
number, and is kept if today's generate.py still lists that id (same line, same column:
the same mutation); an entry whose line was edited or removed is dropped and named, to be
judged again. Entries that REV's equivalent.txt does not have (added since, or already
moved by an earlier run) are kept as they are if today's ref/src has their id, so a
second run changes nothing. --new: print instead the ids of today's mutants on lines the change edited or
added, for `ci/mutate --only` (one per line; `xargs printf -- '--only %s\n'`).
--check writes nothing. Exit status: 0 when every entry moved (or stayed), 1 when some were
dropped, 2 on bad usage.
"""
import difflib
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EQUIV = os.path.join(HERE, "equivalent.txt")
sys.path.insert(0, HERE)
import generate  # noqa: E402  (beside this file)


def old_text(rev, name):
    try:
        return subprocess.run(["git", "-C", ROOT, "show", "%s:ref/src/%s" % (rev, name)],
                              check=True, capture_output=True, text=True).stdout
    except subprocess.CalledProcessError:
        return None


def line_map(old, new):
    """Old line number -> new line number, for lines the change left alone."""
    a, b = old.splitlines(), new.splitlines()
    moved = {}
    for tag, i1, i2, j1, _ in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                moved[i1 + k + 1] = j1 + k + 1
    return moved


def file_map(rev, name):
    """line_map of ref/src/NAME between REV and today ({} for a file REV did not have)."""
    old = old_text(rev, name)
    path = os.path.join(generate.SRC, name)
    new = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
    return line_map(old, new) if old is not None else {}


def main(argv):
    check = "--check" in argv
    rev = argv[argv.index("--base") + 1] if "--base" in argv else "HEAD"
    if any(a.startswith("-") and a not in ("--check", "--base", "--new") for a in argv):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    today = {m[2]: m for m in generate.all_mutants()}
    maps, out, dropped, moved = {}, [], [], 0
    if "--new" in argv:
        for mid in today:
            name, num = mid.split(":")[:2]
            if name not in maps:
                maps[name] = file_map(rev, name)
            if int(num) not in set(maps[name].values()):
                print(mid)
        return 0
    with open(EQUIV, encoding="utf-8") as f:
        lines = f.read().splitlines()
    at_rev = set(subprocess.run(["git", "-C", ROOT, "show", rev + ":tests/mutants/equivalent.txt"],
                                capture_output=True, text=True).stdout.splitlines())
    for line in lines:
        mid = line.split()[0] if line.strip() and not line.startswith("#") else None
        if mid is None:
            out.append(line)
            continue
        name, num, rest = mid.split(":", 2)
        if line not in at_rev:
            (out if mid in today else dropped).append(line)
            continue
        if name not in maps:
            maps[name] = file_map(rev, name)
        target = maps[name].get(int(num))
        new_id = "%s:%d:%s" % (name, target, rest) if target else None
        if new_id is None or new_id not in today:
            dropped.append(line)
            continue
        if new_id != mid:
            moved += 1
            line = new_id + line[len(mid):]
        out.append(line)
    for line in dropped:
        print("move-equivalent.py: dropped (judge again): " + line)
    print("move-equivalent.py: %d entries moved, %d dropped%s"
          % (moved, len(dropped), " (--check: nothing written)" if check else ""))
    if not check:
        with open(EQUIV, "w", encoding="utf-8") as f:
            f.write("\n".join(out) + "\n")
    return 1 if dropped else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
