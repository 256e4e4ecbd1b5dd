#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the bench boots' output into docs/benchmarks.md and a summary.

Reads, for each TPM boot under OUT/<tpm2|tpm12>/: tap.log (the guest's
"BENCH ..." lines from tests/vm/guest/t-bench.sh and tests/vm/tools/ti_bench),
swtpm.log (swtpm --log level=2: every command and response in hex) and
results.tap; OUT/size-*.txt from `size`. Exit status 1 when a target is
missed or a boot did not finish cleanly.

analysis.py parses and computes, render.py writes the markdown; this is
the command line that tests/bench/run.sh calls.
"""
import argparse
import os
import sys

import analysis
import render


def parse_args(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--doc", required=True)
    ap.add_argument("--command", default="make bench")
    ap.add_argument("--tpms", default="2 12")
    ap.add_argument("--wall", type=int, default=0)
    ap.add_argument("--kernel-pkg", default="")
    return ap.parse_args(argv)


def write(path, text):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def summary(doc, ok):
    """stdout: the targets and the time tables."""
    text = doc[doc.index("## Targets"):doc.index("## TPM commands per operation")].rstrip()
    if not ok:
        text += "\n\nat least one target MISSED or a boot failed (see above)"
    return text


def main(argv=None):
    a = parse_args(argv)
    run = analysis.analyse_run(a.out, a.tpms, a.command, a.wall, a.kernel_pkg)
    doc = render.document(run)
    write(a.doc, doc)
    print(summary(doc, run.ok()))
    return 0 if run.ok() else 1


if __name__ == "__main__":
    sys.exit(main())
