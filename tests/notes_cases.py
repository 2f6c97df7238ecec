#!/usr/bin/python3
"""notes_cases.py - every sentence of src/notes.def said where it is true
and silent where it is not.

    tests/notes_cases.py [PKTLENS]

tests/notes_cases.tsv has one case a line, tab-separated:

    note    said|silent    capture    args    frames    why

- said: `pktlens read --json [args] capture` puts the note on exactly
  these frames of that capture (so it is also silent on every other one);
- silent: the note is on none of these frames ("all": on no frame);
- unreached: no capture of the project triggers the note yet (the why
  says what would); it stands in for "said", is listed in the output and
  counted on the closing line, and still needs its silent case;
- args: extra `read` arguments ("-" for none), e.g. -A for the address
  notes; why: what, in the recording or the crafted capture, makes the
  note true or not there.

Every note of notes.def needs at least one case of each kind, and every
case must name a note notes.def has: a new sentence without its cases,
or a case left behind by a removed one, fails.  Each capture is read once
per set of arguments, so the whole table takes a few seconds.
"""
import json
import os
import re
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TABLE = os.path.join(REPO, "tests", "notes_cases.tsv")
NOTES_DEF = os.path.join(REPO, "src", "notes.def")


def note_names():
    with open(NOTES_DEF) as f:
        return re.findall(r'^PKL_NOTE\(\w+, "([^"]+)"', f.read(), re.M)


def frame_set(text):
    """'3,5-7' -> {3, 5, 6, 7}; 'all' -> None; '' -> set()."""
    if text == "all":
        return None
    out = set()
    for part in filter(None, text.split(",")):
        lo, _, hi = part.partition("-")
        out.update(range(int(lo), int(hi or lo) + 1))
    return out


def load_cases():
    cases = []
    with open(TABLE) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 6 or cols[1] not in ("said", "silent", "unreached") or not cols[5].strip():
                sys.exit("notes_cases.tsv:%d: want note, said|silent|unreached, capture, args, "
                         "frames, why (tab-separated): %r" % (n, line))
            note, kind, capture, args, frames, why = cols
            cases.append((n, note, kind, capture, args, frame_set(frames), why))
    return cases


def notes_by_frame(pktlens, capture, args, cache):
    key = (capture, args)
    if key not in cache:
        argv = [pktlens, "read", "--json"] + ([] if args == "-" else args.split())
        out = subprocess.run(argv + [os.path.join(REPO, capture)], check=True,
                             capture_output=True, text=True).stdout
        where = {}
        for line in out.splitlines():
            rec = json.loads(line)
            for note in rec.get("notes", []):
                if "note" in note:
                    where.setdefault(note["note"], set()).add(rec["frame.number"])
        cache[key] = where
    return cache[key]


def main():
    pktlens = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "pktlens")
    names = note_names()
    cases = load_cases()
    failures = []
    for name in names:
        for kind in ("said", "silent"):
            if not any(c[1] == name and (c[2] == kind or (kind == "said" and c[2] == "unreached"))
                       for c in cases):
                failures.append("%s: no case where it is %s" % (name, kind))
    cache = {}
    unreached = []
    for n, note, kind, capture, args, frames, why in cases:
        if note not in names:
            failures.append("line %d: %s is not a note of src/notes.def" % (n, note))
            continue
        if kind == "unreached":
            unreached.append("%s (%s)" % (note, why))
            continue
        got = notes_by_frame(pktlens, capture, args, cache).get(note, set())
        if kind == "said" and got != frames:
            failures.append("line %d: %s in %s: said on frames %s, true on %s (%s)"
                            % (n, note, capture, sorted(got), sorted(frames), why))
        elif kind == "silent" and (got if frames is None else got & frames):
            failures.append("line %d: %s in %s: said on frames %s, where it is not true (%s)"
                            % (n, note, capture,
                               sorted(got if frames is None else got & frames), why))
    for u in unreached:
        print("UNREACHED", u)
    for f in failures:
        print("FAIL", f)
    print("%d notes, %d of them with no capture that triggers them yet, %d cases"
          % (len(names), len(unreached), len(cases)))
    print("notes-cases: %d passed, %d failed" % (len(cases) - len(failures), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
