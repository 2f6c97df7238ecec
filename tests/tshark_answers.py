"""tshark's answers, kept between runs of the differential tests.

The differential tests hold pktlens to what tshark 4.0 says about each
capture.  tshark spends most of a second starting, for every file: over
the 830 captures of the shared corpus that was most of the test suite's
time.  Its answer depends only on the capture's bytes, on tshark's
version and on the question (the command line, and what of the output a
test keeps), so it is stored in tests/tshark_answers/NAME.json.xz, keyed
by the SHA-256 of the capture, under a header naming the version and the
question.  A capture whose answer is not stored, or a store written by
another tshark version or for another question, is asked of tshark live.
`--refresh` asks tshark again for every capture and rewrites the store.
And each run asks tshark live about a few stored captures chosen at
random and fails if its answer is no longer the stored one, so a stale
store cannot pass unnoticed.  Standard library only.
"""

import hashlib
import json
import lzma
import os
import random
import time

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tshark_answers")


def file_key(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class Answers:
    """The stored answers of one test (NAME) to one QUESTION (any JSON
    value: what would change the answer if it changed) by tshark VERSION."""

    seed = 0

    def __init__(self, name, version, question):
        self.path = os.path.join(HERE, name + ".json.xz")
        self.header = {"tshark": version,
                       "question": hashlib.sha256(
                           json.dumps(question, sort_keys=True).encode()).hexdigest()}
        self.answers = {}
        self.why_not = None
        try:
            with lzma.open(self.path, "rt", encoding="utf-8") as f:
                data = json.load(f)
        except FileNotFoundError:
            self.why_not = "no store yet"
            return
        except (OSError, ValueError, EOFError) as e:
            self.why_not = "unreadable store (%s)" % e
            return
        stored = data.get("header", {})
        if stored != self.header:
            if stored.get("tshark") != version:
                self.why_not = "stored by %s, this is %s" % (stored.get("tshark"), version)
            else:
                self.why_not = "stored for another question (the test changed what it asks)"
            return
        self.answers = data.get("answers", {})

    def get(self, key):
        return self.answers.get(key)

    def sample(self, keys, n):
        """Up to n of keys that have a stored answer, chosen at random
        (PKL_TSHARK_SEED replays a choice: self.seed)."""
        self.seed = int(os.environ.get("PKL_TSHARK_SEED", time.time_ns() % 100000))
        stored = sorted(k for k in set(keys) if k in self.answers)
        return random.Random(self.seed).sample(stored, min(n, len(stored)))

    def report(self, suite, stored, asked, again, stale, root):
        """The lines a test prints about its answers; stale: the captures
        whose answer asked again was not the stored one (each a failure)."""
        lines = ["%s: tshark's answers: %d stored (%s), %d asked live; %d stored ones "
                 "asked again (PKL_TSHARK_SEED=%d), %d changed"
                 % (suite, stored, self.why_not or os.path.relpath(self.path, root),
                    asked, again, self.seed, len(stale))]
        lines += ["  FAIL: tshark's answer about %s is not the stored one: run the test "
                  "with --refresh" % os.path.relpath(f, root) for f in stale]
        return lines

    def save(self, answers):
        os.makedirs(HERE, exist_ok=True)
        tmp = self.path + ".tmp"
        with lzma.open(tmp, "wt", encoding="utf-8", preset=9) as f:
            json.dump({"header": self.header, "answers": answers}, f,
                      sort_keys=True, separators=(",", ":"))
        os.replace(tmp, self.path)
