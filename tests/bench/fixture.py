#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Synthetic bench output for testing report.py without a VM.

No raw bench output is committed (build/ is not tracked), so this writes
a made-up but well-formed output directory, laid out as tests/bench/run.sh
leaves it: OUT/<boot>/{tap.log,swtpm.log,results.tap,boot-seconds},
OUT/size-*.txt and OUT/loadavg-*. The lines follow what
tests/vm/tools/ti_bench.c, tests/vm/guest/t-bench.sh and swtpm's level-2
log print; the numbers are drawn from a seeded generator, so a variant is
the same bytes on every run.

Variants (VARIANTS below): "full" is a complete `make bench` run on both
TPMs plus the kmemleak=off boot; "quick" a small TPM 2.0-only run;
"degraded" a run where things went wrong (a failed check, a leak, an
unstable command sequence, an error response, missing files), so that
the report's other branches are exercised too; "dead" a run whose boots
died before two timing rounds (which the report before its split into
analysis.py and render.py did not survive); "none" a run of no TPM.

Usage: tests/bench/fixture.py VARIANT OUT   (prints report.py's arguments)
"""
import gzip
import os
import random
import sys

MARK_MAGIC = 0x7469
KINDS = ["new", "import", "import_verify", "load", "update", "update_ti"]
PROBE = "tpm_getrandom"
# when the boots ended: loadavg-end's mtime, which report.py dates by
END_TIME = 1795952700  # 2026-11-29 11:45 UTC

# ------------------------------------------------------------ TPM commands

# (name, command code, command length, response length)
TPM2_OPS = {
    "getrandom32": (0x17B, 12, 44),
    "create": (0x153, 245, 312),
    "load": (0x157, 230, 60),
    "unseal": (0x15E, 27, 77),
    "flush": (0x165, 14, 10),
}
TPM2_SEQ = {
    "new": ["getrandom32", "create"],
    "import": ["create"],
    "import_verify": ["create", "load", "unseal", "flush"],
    "load": ["load", "unseal", "flush"],
    "update": ["create"],
    "update_ti": ["create"],
}
TPM12_OPS = {
    "getrandom32": (0x46, 14, 46),
    "getrandom20": (0x46, 14, 34),
    "osap": (0x0B, 36, 50),
    "oiap": (0x0A, 10, 34),
    "seal": (0x17, 245, 158),
    "unseal": (0x18, 373, 58),
}
TPM12_SEQ = {
    "new": ["getrandom32", "getrandom20", "osap", "getrandom20", "seal"],
    "import": ["getrandom20", "osap", "getrandom20", "seal"],
    "import_verify": ["getrandom20", "osap", "getrandom20", "seal",
                      "oiap", "oiap", "getrandom20", "unseal"],
    "load": ["oiap", "oiap", "getrandom20", "unseal"],
    "update": ["getrandom20", "osap", "getrandom20", "seal"],
    "update_ti": ["getrandom20", "osap", "getrandom20", "seal"],
}


def be(v, n):
    return v.to_bytes(n, "big")


class SwtpmLog:
    """swtpm --log level=2: every command and response in hex."""

    def __init__(self, rng, tpm12):
        self.rng = rng
        self.tpm12 = tpm12
        self.lines = []

    def _io(self, what, data):
        self.lines.append(" SWTPM_IO_%s: length %d" % (what, len(data)))
        for i in range(0, len(data), 16):
            self.lines.append(" " + " ".join("%02X" % b for b in data[i:i + 16]) + " ")

    def command(self, cc, cmd_len, rsp_len, rc=0, param=None):
        tag = 0xC1 if self.tpm12 else 0x8001
        body = bytearray(self.rng.randrange(256) for _ in range(cmd_len - 10))
        if param is not None:
            # GetRandom's count: 32 bits on TPM 1.2, 16 bits on TPM 2.0
            width = 4 if self.tpm12 else 2
            body[0:width] = be(param, width)
        self._io("Read", be(tag, 2) + be(cmd_len, 4) + be(cc, 4) + bytes(body))
        rtag = 0xC4 if self.tpm12 else 0x8001
        rest = bytes(self.rng.randrange(256) for _ in range(rsp_len - 10))
        self._io("Write", be(rtag, 2) + be(rsp_len, 4) + be(rc, 4) + rest)

    def op(self, name, rc=0):
        ops = TPM12_OPS if self.tpm12 else TPM2_OPS
        cc, cl, rl = ops[name]
        param = None
        if name.startswith("getrandom"):
            param = int(name[len("getrandom"):])
        self.command(cc, cl, rl, rc=rc, param=param)

    def marker(self, code):
        if self.tpm12:
            words = [0x65, 1, 4, MARK_MAGIC << 16 | code]
        else:
            words = [0x17A, 2, MARK_MAGIC << 16 | code, 1]
        tag = 0xC1 if self.tpm12 else 0x8001
        data = be(tag, 2) + be(22, 4) + b"".join(be(w, 4) for w in words)
        self._io("Read", data)
        self._io("Write", be(0xC4 if self.tpm12 else 0x8001, 2) + be(19, 4) +
                 be(0, 4) + bytes(9))

    def noise(self):
        # swtpm's other level-2 lines, which the report skips
        self.lines.append(" Ctrl Cmd: length 4")
        self.lines.append(" 00 00 00 10 ")
        self.lines.append(" Ctrl Rsp: length 4")
        self.lines.append(" 00 00 00 00 ")

    def text(self):
        return "\n".join(self.lines) + "\n"


# ------------------------------------------------------------ one boot

class Boot:
    """The parameters of one boot's fixture."""

    def __init__(self, name, **kw):
        self.name = name
        self.tpm12 = name == "tpm12"
        self.rounds = 60
        self.warm = 5
        self.count = 5
        self.scale = [1, 10, 100, 1000]
        self.verify = 1
        self.memkeys = 1000
        self.memkeys_kinds = ["new", "import"]
        self.memkeys_after = True
        self.checks_failed = 0
        self.checks = 13
        self.klog = self.tpm12
        self.swtpm = "plain"        # plain, gz or none
        self.unstable = False       # one counted load sends an extra command
        self.error_rc = 0           # an error response inside a counted op
        self.leak_kb = 0
        self.leak_objs = 0
        self.kmemleak = 0
        self.drift = 1.0            # how the live/control ratio moves across a run
        self.drop_probe = False     # one round without the GetRandom probe
        self.incomplete_round = False
        self.module = True
        self.boot_seconds = "412"
        self.slow = 1.0             # time scale (kmemleak=off is faster)
        for k, v in kw.items():
            if not hasattr(self, k):
                raise TypeError("unknown boot parameter " + k)
            setattr(self, k, v)


def lognorm(rng, median, spread=0.35):
    return int(median * rng.lognormvariate(0, spread))


def time_lines(b, rng):
    med = ({"new": 25.5, "import": 23.6, "import_verify": 48.7, "load": 26.1,
            "update": 20.6, "update_ti": 23.2, PROBE: 2.85} if b.tpm12 else
           {"new": 8.26, "import": 6.51, "import_verify": 17.4, "load": 12.0,
            "update": 4.02, "update_ti": 5.69, PROBE: 3.20})
    lines = ["BENCH time rounds=%d warmup=%d wall_ns=%d" % (
        b.rounds, b.warm, int(b.rounds * sum(med.values()) * 1.3e6 * b.slow))]
    order = KINDS + [PROBE]
    for r in range(b.rounds):
        pos = list(range(len(order)))
        rng.shuffle(pos)
        for k, p in zip(order, pos):
            if k == PROBE and b.drop_probe and r == 3:
                continue
            if k == "load" and b.incomplete_round and r == b.rounds - 1:
                continue
            ns = lognorm(rng, med[k] * 1e6 * b.slow, 0.25 if b.tpm12 else 0.45)
            lines.append("BENCH t kind=%s r=%d pos=%d ns=%d" % (k, r, p, ns))
    return lines


def scale_lines(b, rng):
    lines = []
    base = 48.0e6 if b.tpm12 else 18.5e6
    for n in b.scale:
        live, ctl = [], []
        for i in range(n):
            f = 1 + (b.drift - 1) * i / max(1, n - 1)
            live.append(lognorm(rng, base * f, 0.1))
            ctl.append(lognorm(rng, base, 0.1))
        lines.append("BENCH scale n=%d verify=%d wall_ns=%d" % (
            n, b.verify, int((sum(live) + sum(ctl)) * 1.02)))
        for i in range(n):
            lines.append("BENCH s n=%d i=%d ns=%d control_ns=%d" % (
                n, i, live[i], ctl[i]))
    return lines


# name: (objects per key, object size, reclaimable)
CACHES = [
    ("kmalloc-1k", 1.0, 1024, 0),
    ("kmemleak_object", 3.26, 240, 0),
    ("key_jar", 1.0, 328, 0),
    ("kmalloc-32", 1.0, 32, 0),
    ("kmalloc-64", 0.62, 64, 0),      # not a whole number of objects per key
    ("dentry", 0.55, 192, 1),         # reclaimable
    ("kmalloc-128", 0.1, 128, 0),     # too little growth to be listed
    ("vmap_area", 0.0, -1, 0),        # no object size known
]


def snapshot(label, keys, n, rng, left_objs=0, sunreclaim_extra=0):
    """A mem line and its slab lines; n live keys' worth of growth."""
    growth_kb = n * 2628 // 1000
    lines = ["BENCH mem label=%s slab_kb=%d sreclaimable_kb=%d sunreclaim_kb=%d "
             "memfree_kb=%d keys=%d" % (
                 label, 25084 + growth_kb + sunreclaim_extra, 1832,
                 23252 + growth_kb + sunreclaim_extra,
                 1310720 - growth_kb - rng.randrange(64), keys)]
    for name, per, objsize, recl in CACHES:
        active = 400 + int(per * n) + (left_objs if name == "kmalloc-1k" else 0)
        lines.append("BENCH slab label=%s name=%s active=%d num=%d size=%d "
                     "objsize=%d reclaimable=%d" % (
                         label, name, active, active + 16, max(objsize, 8) + 64,
                         objsize, recl))
    return lines


def mem_lines(b, rng):
    nmax = max(b.scale) if b.scale else 0
    lines = []
    lines += snapshot("base", 14, 0, rng, sunreclaim_extra=32)
    lines += snapshot("base2", 14, 0, rng)
    return lines, nmax


def after_lines(b, rng, nmax):
    lines = snapshot("live", 14 + nmax, nmax, rng)
    lines += snapshot("after", 14, 0, rng, left_objs=b.leak_objs,
                      sunreclaim_extra=b.leak_kb)
    lines.append("BENCH kmemleak label=after leaks=%d" % b.kmemleak)
    return lines


def memkeys_lines(b, rng):
    lines = []
    for kind in b.memkeys_kinds:
        lines += snapshot(kind + "-base", 14, 0, rng)
        lines += snapshot("%s-live%d" % (kind, b.memkeys), 14 + b.memkeys,
                          b.memkeys, rng, sunreclaim_extra=rng.randrange(200))
        if b.memkeys_after:
            lines += snapshot(kind + "-after", 14, 0, rng)
    return lines


def count_log(b, rng):
    log = SwtpmLog(rng, b.tpm12)
    seq = TPM12_SEQ if b.tpm12 else TPM2_SEQ
    # start-up, not counted
    for cc in ((0x99, 0x50) if b.tpm12 else (0x144, 0x143, 0x17A)):
        log.command(cc, 12, 10)
    log.noise()
    # the uncounted import and the keys to update
    for kind in ("import", "new", "import"):
        for name in seq[kind]:
            log.op(name)
    for k, kind in enumerate(KINDS):
        for i in range(b.count):
            log.marker(k << 8 | i)
            for j, name in enumerate(seq[kind]):
                rc = b.error_rc if (b.error_rc and kind == "new" and i == 1
                                    and j == len(seq[kind]) - 1) else 0
                log.op(name, rc=rc)
            if b.unstable and kind == "load" and i == 2:
                log.op("oiap" if b.tpm12 else "flush")
    log.marker(0xFFFF)
    # the timing phase follows, after the last marker: not counted
    for _ in range(3):
        for kind in KINDS:
            for name in seq[kind]:
                log.op(name)
        log.op("getrandom32")
    return log.text()


def write_boot(out, b, rng):
    d = os.path.join(out, b.name)
    os.makedirs(d, exist_ok=True)
    major = 1 if b.tpm12 else 2
    opts = ("keyauth=6768033e216468247bd031a0a2d9876d79818f8f" if b.tpm12
            else "keyhandle=0x81000001")
    tap = ["TAP version 13", "# bench on TPM %d.x" % major,
           "BENCH env kernel=6.12.117-ti tpm_major=%d cpus=2" % major,
           "BENCH env cmdline=ti_bench_n=%d,ti_bench_warm=%d,ti_bench_count=%d,"
           "ti_bench_scale=%s,ti_bench_memkeys=%d," % (
               b.rounds, b.warm, b.count, ",".join(map(str, b.scale)) or "0",
               b.memkeys)]
    if b.module:
        tap.append("BENCH module coresize=40960 initsize=0 trusted_coresize=49152")
    else:
        tap.append("BENCH module coresize= initsize=0 trusted_coresize=0")
    tap += ["ok 1 - stock trusted: new 32 on TPM %d.x (options '%s')" % (major, opts),
            "BENCH env opts=%s" % opts,
            "BENCH count kinds=6 per_kind=%d tpm=%d" % (b.count, major)]
    tap += time_lines(b, rng)
    if b.scale:
        base, nmax = mem_lines(b, rng)
        tap += base
        tap += scale_lines(b, rng)
        tap += after_lines(b, rng, nmax)
    if b.memkeys:
        tap += memkeys_lines(b, rng)
    if b.klog:
        tap.append("BENCH klog known_warn_seal=%d known_warn_unseal=%d "
                   "known_warn_other=0 lines_seal_stock=50.4 lines_seal_ti=57.0 "
                   "lines_unseal_stock=57.2 lines_unseal_ti=64.0" % (
                       9 * b.rounds + 293, 4 * b.rounds + 248))
    tap.append("BENCH end")
    # the console channel ends its lines with CR LF
    with open(os.path.join(d, "tap.log"), "wb") as f:
        f.write(("\r\n".join(tap) + "\r\n").encode())
        f.write(b"# stray byte \xff on the channel\r\n")

    results = ["ok %d - bench check %d" % (i + 1, i + 1) for i in range(b.checks)]
    for i in range(b.checks_failed):
        results[-1 - i] = "not " + results[-1 - i]
    results.insert(3, "# a comment line")
    with open(os.path.join(d, "results.tap"), "w") as f:
        f.write("\n".join(results) + "\n")
    if b.boot_seconds is not None:
        with open(os.path.join(d, "boot-seconds"), "w") as f:
            f.write(b.boot_seconds + "\n")

    if b.swtpm != "none":
        text = count_log(b, rng)
        if b.swtpm == "gz":
            with gzip.open(os.path.join(d, "swtpm.log.gz"), "wt") as f:
                f.write(text)
        else:
            with open(os.path.join(d, "swtpm.log"), "w") as f:
                f.write(text)


SIZE_HEADER = "   text\t   data\t    bss\t    dec\t    hex\tfilename\n"


def write_size(out, fname, text, data, bss, path):
    with open(os.path.join(out, fname), "w") as f:
        f.write(SIZE_HEADER)
        f.write("%7d\t%7d\t%7d\t%7d\t%7x\t%s\n" % (
            text, data, bss, text + data + bss, text + data + bss, path))


def write_common(out, sizes=("ko", "nokasan", "trusted"), loadavg=("start", "end")):
    if "ko" in sizes:
        write_size(out, "size-ko.txt", 23596, 9364, 192, "dkms/trusted_import.ko")
    if "nokasan" in sizes:
        write_size(out, "size-ko-nokasan.txt", 10252, 1844, 16, "trusted_import.ko")
    if "trusted" in sizes:
        write_size(out, "size-trusted.txt", 32239, 6953, 448, "trusted.ko")
    if "start" in loadavg:
        with open(os.path.join(out, "loadavg-start"), "w") as f:
            f.write("0.68 0.52 0.40 1/187 30211\n")
    if "end" in loadavg:
        p = os.path.join(out, "loadavg-end")
        with open(p, "w") as f:
            f.write("0.87 0.75 0.61 2/190 31876\n")
        os.utime(p, (END_TIME, END_TIME))


def full(out, rng):
    for name in ("tpm2", "tpm12"):
        write_boot(out, Boot(name), rng)
    write_boot(out, Boot("tpm2-nokmemleak", scale=[], memkeys=0, slow=0.8,
                         boot_seconds="95"), rng)
    write_common(out)
    return ["--command", "make bench", "--tpms", "2 12", "--wall", "853",
            "--kernel-pkg", "linux-source-6.12 6.12.117-1~deb12u1"]


def quick(out, rng):
    write_boot(out, Boot("tpm2", rounds=20, warm=2, count=3, scale=[1, 10, 100],
                         memkeys=100, verify=0, swtpm="gz"), rng)
    write_common(out, sizes=("ko", "nokasan"))
    return ["--command", "tests/bench/run.sh --quick", "--tpms", "2", "--wall", "59"]


def degraded(out, rng):
    write_boot(out, Boot("tpm12", rounds=12, checks_failed=1, klog=False,
                         unstable=True, error_rc=0x1, leak_kb=300, leak_objs=40,
                         kmemleak=3, drift=1.3, module=False, boot_seconds=""),
               rng)
    write_boot(out, Boot("tpm2", rounds=8, swtpm="none", scale=[1, 10],
                         memkeys=50, memkeys_kinds=["new"], memkeys_after=False,
                         drop_probe=True, incomplete_round=True,
                         boot_seconds=None), rng)
    write_boot(out, Boot("tpm2-nokmemleak", rounds=6, scale=[], memkeys=0,
                         checks_failed=2, slow=0.8), rng)
    write_common(out, sizes=(), loadavg=("end",))
    return ["--command", "make bench", "--tpms", "12 2", "--wall", "3725"]


def dead(out, rng):
    # the TPM 2.0 boot died before its timing: no BENCH lines at all
    d = os.path.join(out, "tpm2")
    os.makedirs(d)
    with open(os.path.join(d, "results.tap"), "w") as f:
        f.write("ok 1 - stock trusted: new 32 on TPM 2.x\n"
                "not ok 2 - TPM command count, 5 ops per kind: ti_bench died\n")
    write_boot(out, Boot("tpm12", rounds=1, scale=[], memkeys=0, klog=False,
                         swtpm="none", checks=2), rng)
    write_common(out, sizes=("ko",))
    return ["--command", "make bench", "--tpms", "2 12", "--wall", "301"]


def none(out, rng):
    # TI_BENCH_TPMS="": no boot at all
    write_common(out, sizes=(), loadavg=("end",))
    return ["--command", "tests/bench/run.sh --quick", "--tpms", "", "--wall", "12"]


VARIANTS = {"full": full, "quick": quick, "degraded": degraded, "dead": dead,
            "none": none}


def make(variant, out):
    """Write VARIANT's output directory to OUT; report.py's arguments
    other than --out and --doc."""
    os.makedirs(out, exist_ok=True)
    return VARIANTS[variant](out, random.Random("ti-bench-" + variant))


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in VARIANTS:
        sys.exit("usage: tests/bench/fixture.py {%s} OUT" % ",".join(VARIANTS))
    print("\n".join(make(sys.argv[1], sys.argv[2])))
