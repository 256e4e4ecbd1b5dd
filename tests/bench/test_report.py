#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Self-test of tests/bench/report.py: its output for fixed input must not
change unless meant to.

For each variant of tests/bench/fixture.py, run report.py on the synthetic
output directory and compare docs/benchmarks.md as it would be written, the
summary on stdout and the exit status with tests/bench/golden/. Prints TAP.

The golden files were written by report.py as it was before it was split
into analysis.py and render.py (commit 948fc8c), but for the variants in
NOT_IN_OLD, which that one could not report on. What depends on the
machine is pinned: `swtpm` and `qemu-system-x86_64` are stand-ins on PATH
that print fixed versions, the date comes from the fixture's loadavg-end,
and the host's CPU model and core count are masked on both sides.

Usage: python3 tests/bench/test_report.py [--old REPORT_PY]
           [--write-golden REPORT_PY] [--variant NAME]...
  --old REPORT_PY           also run REPORT_PY (e.g. an earlier report.py,
                            from `git show REV:tests/bench/report.py`) on
                            every fixture and require the same bytes
  --write-golden REPORT_PY  (re)write tests/bench/golden/ from REPORT_PY's
                            output, for a deliberate change of the report
  --variant NAME            only this fixture variant (repeatable)
"""
import argparse
import difflib
import os
import re
import stat
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import fixture  # noqa: E402

REPORT = os.path.join(HERE, "report.py")
GOLDEN = os.path.join(HERE, "golden")

SWTPM_VERSION = "TPM emulator version 0.7.1, Copyright (c) 2014-2022 IBM Corp. and others"
QEMU_VERSION = ("QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)\n"
                "Copyright (c) 2003-2022 Fabrice Bellard and the QEMU Project developers")
# per variant: what the stand-ins print (None: nothing, which the report
# shows as "?")
TOOLS = {
    "full": {"swtpm": SWTPM_VERSION, "qemu-system-x86_64": QEMU_VERSION},
    "quick": {"swtpm": SWTPM_VERSION, "qemu-system-x86_64": QEMU_VERSION},
    "degraded": {"swtpm": None, "qemu-system-x86_64": QEMU_VERSION},
    "dead": {"swtpm": SWTPM_VERSION, "qemu-system-x86_64": QEMU_VERSION},
    "none": {"swtpm": SWTPM_VERSION, "qemu-system-x86_64": QEMU_VERSION},
}
# variants whose golden files come from the report after its split, and
# why an --old report.py is not compared on them
NOT_IN_OLD = {
    "dead": "report.py before the split died on a boot with fewer than two timing rounds",
}

HOST_LINE = re.compile(r"^\| host \| .*, \d+ cores;", re.M)


def mask(text):
    """The doc's host line names this machine's CPU: the same on both
    sides of a live comparison, not in a golden file."""
    return HOST_LINE.sub("| host | (host CPU), (n) cores;", text)


def stand_ins(bindir, tools):
    for name, out in tools.items():
        p = os.path.join(bindir, name)
        with open(p, "w") as f:
            f.write("#!/bin/sh\n")
            if out is not None:
                f.write("cat <<'EOF'\n%s\nEOF\n" % out)
        os.chmod(p, os.stat(p).st_mode | stat.S_IXUSR)


def run(report, variant, tmp):
    """report.py's (doc, stdout with the exit status) for VARIANT."""
    out = os.path.join(tmp, variant)
    bindir = os.path.join(tmp, variant + "-bin")
    if not os.path.isdir(out):
        os.makedirs(bindir)
        stand_ins(bindir, TOOLS[variant])
        args = fixture.make(variant, out)
        with open(os.path.join(tmp, variant + ".args"), "w") as f:
            f.write("\n".join(args))
    with open(os.path.join(tmp, variant + ".args")) as f:
        args = f.read().split("\n")
    doc = os.path.join(tmp, variant + ".md")
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""))
    p = subprocess.run([sys.executable, report, "--out", out, "--doc", doc] + args,
                       capture_output=True, text=True, env=env)
    text = ""
    if os.path.exists(doc):
        with open(doc) as f:
            text = f.read()
        os.unlink(doc)
    return mask(text), p.stdout + "[exit status %d]\n" % p.returncode, p.stderr


def golden(variant, suffix):
    p = os.path.join(GOLDEN, variant + suffix)
    if not os.path.exists(p):
        return None
    with open(p) as f:
        return f.read()


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def skip(self, what, why):
        self.n += 1
        print("ok %d - %s # SKIP %s" % (self.n, what, why))

    def check(self, what, want, got, stderr=""):
        self.n += 1
        if want == got:
            print("ok %d - %s" % (self.n, what))
            return
        self.failed += 1
        print("not ok %d - %s" % (self.n, what))
        want_lines = (want or "").splitlines(True)
        diff = list(difflib.unified_diff(want_lines, got.splitlines(True),
                                         "expected", "got"))
        for line in diff[:60]:
            print("# " + line.rstrip("\n"))
        if len(diff) > 60:
            print("# ... %d more diff lines" % (len(diff) - 60))
        for line in stderr.splitlines()[-10:]:
            print("# stderr: " + line)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", help="another report.py that must give the same bytes")
    ap.add_argument("--write-golden", metavar="REPORT_PY",
                    help="write tests/bench/golden/ from this report.py")
    ap.add_argument("--variant", action="append", choices=sorted(fixture.VARIANTS),
                    help="only this fixture variant (repeatable)")
    a = ap.parse_args()
    variants = a.variant or sorted(fixture.VARIANTS)
    with tempfile.TemporaryDirectory() as tmp:
        if a.write_golden:
            os.makedirs(GOLDEN, exist_ok=True)
            for v in variants:
                doc, out, _ = run(os.path.abspath(a.write_golden), v, tmp)
                for suffix, text in ((".md", doc), (".stdout", out)):
                    with open(os.path.join(GOLDEN, v + suffix), "w") as f:
                        f.write(text)
                print("# wrote golden/%s.md and golden/%s.stdout" % (v, v))
            return 0
        tap = Tap()
        print("1..%d" % (len(variants) * (4 if a.old else 2)))
        for v in variants:
            doc, out, err = run(REPORT, v, tmp)
            tap.check("%s: docs/benchmarks.md as in golden/%s.md" % (v, v),
                      golden(v, ".md"), doc, err)
            tap.check("%s: summary and exit status as in golden/%s.stdout" % (v, v),
                      golden(v, ".stdout"), out, err)
            if a.old and v in NOT_IN_OLD:
                tap.skip("%s: docs/benchmarks.md the same as %s's" % (v, a.old), NOT_IN_OLD[v])
                tap.skip("%s: summary and exit status the same as %s's" % (v, a.old), NOT_IN_OLD[v])
            elif a.old:
                old_doc, old_out, old_err = run(os.path.abspath(a.old), v, tmp)
                tap.check("%s: docs/benchmarks.md the same as %s's" % (v, a.old),
                          old_doc, doc, err or old_err)
                tap.check("%s: summary and exit status the same as %s's" % (v, a.old),
                          old_out, out, err or old_err)
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
