# SPDX-License-Identifier: GPL-2.0
"""The bench boots' raw output, parsed and reduced to plain data.

For each boot under OUT/<name>/: tap.log (the guest's "BENCH ..." lines
from tests/vm/guest/t-bench.sh and tests/vm/tools/ti_bench), swtpm.log
(swtpm --log level=2: every command and response in hex, or swtpm.log.gz)
and results.tap; for the run, OUT/size-*.txt from `size` and
OUT/loadavg-*. analyse_run() returns a Run; render.py turns it into
docs/benchmarks.md. Nothing here formats text for the report.
"""
import datetime
import gzip
import os
import platform
import random
import re
import statistics
import subprocess
from dataclasses import dataclass, field

KINDS = ["new", "import", "import_verify", "load", "update", "update_ti"]
PROBE = "tpm_getrandom"
TARGET_RATIO = 1.05
MARK_MAGIC = 0x7469
EXTRA_BOOT = "tpm2-nokmemleak"

TPM2_CC = {
    0x11F: "NV_UndefineSpaceSpecial", 0x121: "EvictControl",
    0x127: "HierarchyChangeAuth", 0x12A: "NV_DefineSpace",
    0x131: "CreatePrimary", 0x137: "NV_Write", 0x143: "SelfTest",
    0x144: "Startup", 0x145: "Shutdown", 0x14E: "NV_Read",
    0x153: "Create", 0x157: "Load", 0x15E: "Unseal", 0x161: "ContextLoad",
    0x162: "ContextSave", 0x165: "FlushContext", 0x169: "NV_ReadPublic",
    0x16B: "PolicyPCR", 0x173: "ReadPublic", 0x176: "StartAuthSession",
    0x17A: "GetCapability", 0x17B: "GetRandom", 0x17E: "PCR_Read",
    0x182: "PCR_Extend", 0x189: "PolicyGetDigest", 0x17F: "PolicyRestart",
}
TPM12_ORD = {
    0x0A: "OIAP", 0x0B: "OSAP", 0x14: "Extend", 0x15: "PcrRead",
    0x17: "Seal", 0x18: "Unseal", 0x41: "LoadKey2", 0x46: "GetRandom",
    0x50: "SelfTestFull", 0x53: "ContinueSelfTest", 0x65: "GetCapability",
    0x96: "Terminate_Handle", 0x98: "SaveState", 0x99: "Startup",
    0xBA: "FlushSpecific",
}

# The targets' ratios: name -> per round, (numerator, denominator)
RATIOS = {
    "import/new": lambda x: (x["import"], x["new"]),
    "import+verify/(new+load)": lambda x: (x["import_verify"], x["new"] + x["load"]),
}
# What the module adds beyond the TPM's work, per round: an import is a
# new without its GetRandom; a verification is a load.
OVERHEADS = {
    "import + GetRandom - new": lambda x: x["import"] + x[PROBE] - x["new"],
    "import+verify - import - load": lambda x: x["import_verify"] - x["import"] - x["load"],
    "update of an imported key - stock update": lambda x: x["update_ti"] - x["update"],
}
# the overheads that need the GetRandom probe in every round
NEEDS_PROBE = ("import + GetRandom - new",)


# ------------------------------------------------------------ reading

def parse_bench(path):
    """BENCH lines of tap.log as (verb, {key: value}) in order."""
    out = []
    if not os.path.exists(path):
        return out
    with open(path, "rb") as f:
        for raw in f.read().decode("utf-8", "replace").splitlines():
            line = raw.strip("\r")
            if not line.startswith("BENCH "):
                continue
            verb = line.split(" ")[1]
            rest = line[len("BENCH ") + len(verb):].strip()
            # values never contain blanks except cmdline=..., opts=...
            kv = {m.group(1): m.group(2) for m in re.finditer(r"(\w+)=(\S*)", rest)}
            out.append((verb, kv))
    return out


def read_log_lines(path):
    """The lines of PATH, or of PATH.gz; None when neither exists."""
    if os.path.exists(path):
        with open(path, "r", errors="replace") as f:
            return f.read().splitlines()
    if os.path.exists(path + ".gz"):
        with gzip.open(path + ".gz", "rt", errors="replace") as f:
            return f.read().splitlines()
    return None


HEX_LINE = re.compile(r"\s*([0-9A-Fa-f]{2}\s*)+")


def parse_swtpm(path):
    """Commands from swtpm's level-2 log: [[bytes, rc or None, response
    length]]."""
    cmds = []
    lines = read_log_lines(path)
    if lines is None:
        return cmds
    i = 0
    pending = None
    while i < len(lines):
        m = re.match(r"\s*SWTPM_IO_(Read|Write): length (\d+)", lines[i])
        i += 1
        if not m:
            continue
        n = int(m.group(2))
        data = []
        while len(data) < n and i < len(lines) and HEX_LINE.fullmatch(lines[i]):
            data += [int(x, 16) for x in lines[i].split()]
            i += 1
        data = bytes(data[:n])
        if m.group(1) == "Read":
            pending = [data, None, 0]
            cmds.append(pending)
        elif pending is not None and len(data) >= 10:
            pending[1] = int.from_bytes(data[6:10], "big")
            pending[2] = n
            pending = None
    return cmds


def read_results(path):
    """The ok / not ok lines of results.tap."""
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [line.rstrip("\n") for line in f if line.startswith(("ok", "not ok"))]


def size_of(path):
    """text, data, bss of a `size` output file."""
    if not os.path.exists(path):
        return None
    with open(path) as f:
        lines = f.read().splitlines()
    if len(lines) < 2:
        return None
    f = lines[1].split()
    return {"text": int(f[0]), "data": int(f[1]), "bss": int(f[2])}


def first_word(path):
    """The first field of a one-line file such as a copy of /proc/loadavg."""
    if not os.path.exists(path):
        return "?"
    with open(path) as f:
        return f.read().split()[0]


# ------------------------------------------------------------ TPM commands

def command_code(data):
    return int.from_bytes(data[6:10], "big")


def cmd_name(data, tpm):
    if len(data) < 10:
        return "?"
    cc = command_code(data)
    if tpm == "tpm2":
        name = "TPM2_" + TPM2_CC.get(cc, "0x%x" % cc)
        if cc == 0x17B and len(data) >= 12:
            name += "(%d)" % int.from_bytes(data[10:12], "big")
    else:
        name = "TPM_" + TPM12_ORD.get(cc, "0x%x" % cc)
        if cc == 0x46 and len(data) >= 14:
            name += "(%d)" % int.from_bytes(data[10:14], "big")
    return name


def marker(data, tpm):
    """The marker code ti_bench put in a GetCapability, or None."""
    if len(data) < 22:
        return None
    cc = command_code(data)
    if tpm == "tpm2" and cc == 0x17A:
        v = int.from_bytes(data[14:18], "big")
    elif tpm == "tpm12" and cc == 0x65:
        v = int.from_bytes(data[18:22], "big")
    else:
        return None
    return v & 0xFFFF if v >> 16 == MARK_MAGIC else None


def count_commands(cmds, tpm):
    """{kind: [sequence of names per op]}, {kind: [bytes moved per op]}
    (commands and responses) and the error responses seen."""
    per = {k: [] for k in KINDS}
    moved = {k: [] for k in KINDS}
    cur = kind = None
    errors = []
    for data, rc, rsp_len in cmds:
        code = marker(data, tpm)
        if code is not None:
            cur = None
            if code != 0xFFFF and (code >> 8) < len(KINDS):
                kind = KINDS[code >> 8]
                cur = []
                per[kind].append(cur)
                moved[kind].append(0)
            continue
        if cur is not None:
            cur.append(cmd_name(data, tpm))
            moved[kind][-1] += len(data) + rsp_len
            if rc:
                errors.append((cmd_name(data, tpm), rc))
    return per, moved, errors


# ------------------------------------------------------------ statistics

def pct(xs, p):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def boot_ci(rounds, fn, n=2000, seed=7):
    """95% bootstrap interval of fn(resampled rounds)."""
    rng = random.Random(seed)
    vals = []
    for _ in range(n):
        sample = [rounds[rng.randrange(len(rounds))] for _ in rounds]
        vals.append(fn(sample))
    return pct(vals, 2.5), pct(vals, 97.5)


def summary(xs):
    return {
        "n": len(xs), "median": statistics.median(xs),
        "p10": pct(xs, 10), "p25": pct(xs, 25), "p75": pct(xs, 75),
        "p90": pct(xs, 90), "min": min(xs), "max": max(xs),
        "mean": statistics.fmean(xs),
    }


def median_of(xs):
    """The median, or nan for nothing."""
    return statistics.median(xs) if xs else float("nan")


# ------------------------------------------------------------ time per operation

@dataclass
class Timing:
    meta: dict = field(default_factory=dict)   # the BENCH time line
    rounds: list = field(default_factory=list)  # [{kind: ns}], complete rounds
    stats: dict = field(default_factory=dict)   # kind: summary()
    ratio: dict = field(default_factory=dict)   # RATIOS name: figures
    overhead: dict = field(default_factory=dict)  # OVERHEADS name: figures


def time_rounds(bench):
    """The BENCH time line and the rounds in which every kind ran."""
    t = {}
    meta = {}
    for verb, kv in bench:
        if verb == "time":
            meta = kv
        elif verb == "t":
            t.setdefault(int(kv["r"]), {})[kv["kind"]] = int(kv["ns"])
    return meta, [t[r] for r in sorted(t) if all(k in t[r] for k in KINDS)]


def time_stats(rounds):
    stats = {}
    for k in KINDS + [PROBE]:
        xs = [r[k] for r in rounds if k in r]
        if xs:
            stats[k] = summary(xs)
    return stats


def ratio_figures(rounds, f):
    """One ratio: the target's figure (the median of the per-round
    ratios) with its interval, and cross-checks: the ratio of the medians
    (the denominator's operations summed per round first) and of the
    means."""
    med = statistics.median

    def headline(rs):
        return med([f(x)[0] / f(x)[1] for x in rs])
    nums = [f(x)[0] for x in rounds]
    dens = [f(x)[1] for x in rounds]
    return {
        "median": headline(rounds),
        "ci": boot_ci(rounds, headline),
        "of_medians": med(nums) / med(dens),
        "of_means": statistics.fmean(nums) / statistics.fmean(dens),
    }


def ratios(rounds):
    med = statistics.median
    res = {name: ratio_figures(rounds, f) for name, f in RATIOS.items()}
    res["import+verify/(new+load)"]["sum_of_medians"] = \
        med([x["import_verify"] for x in rounds]) / (
            med([x["new"] for x in rounds]) + med([x["load"] for x in rounds]))
    return res


def overheads(rounds):
    res = {}
    have_probe = all(PROBE in x for x in rounds)
    for name, f in OVERHEADS.items():
        if name in NEEDS_PROBE and not have_probe:
            continue

        def mean_of(rs, f=f):
            return statistics.fmean([f(x) for x in rs])
        res[name] = {
            "mean": mean_of(rounds), "ci": boot_ci(rounds, mean_of),
            "median": statistics.median([f(x) for x in rounds]),
        }
    return res


def timing(bench):
    meta, rounds = time_rounds(bench)
    t = Timing(meta=meta, rounds=rounds, stats=time_stats(rounds))
    if len(rounds) >= 2:
        t.ratio = ratios(rounds)
        t.overhead = overheads(rounds)
    return t


# ------------------------------------------------------------ TPM commands per operation

@dataclass
class Counts:
    seq: dict = field(default_factory=dict)     # kind: the first op's names
    stable: dict = field(default_factory=dict)  # kind: (ops like the first, ops)
    moved: dict = field(default_factory=dict)   # kind: median bytes moved
    errors: list = field(default_factory=list)  # [(name, rc)]
    checks: list = field(default_factory=list)  # [(check, good)]
    random_call: str = ""  # new's first command, its random-number call
    ok: bool = None


def command_checks(seq, stable):
    """The checks on the counted sequences: [(check, good)]."""
    new, imp = seq["new"], seq["import"]
    imv, load = seq["import_verify"], seq["load"]
    return [
        ("seal", bool(new) and "GetRandom" in new[0] and new[1:] == imp),
        ("verify", imv == imp + load),
        ("update", seq.get("update") == imp and seq.get("update_ti") == imp),
        ("stable", all(a == b for a, b in stable.values())),
    ]


def counts(cmds, tpm):
    per, moved, errors = count_commands(cmds, tpm)
    c = Counts(errors=errors,
               moved={k: statistics.median(v) for k, v in moved.items() if v})
    for k in KINDS:
        ops = per[k]
        if ops:
            c.seq[k] = ops[0]
            c.stable[k] = (sum(1 for o in ops if o == ops[0]), len(ops))
    if all(k in c.seq for k in KINDS):
        c.checks = command_checks(c.seq, c.stable)
        c.random_call = c.seq["new"][0] if c.seq["new"] else ""
        c.ok = all(good for _, good in c.checks)
    return c


# ------------------------------------------------------------ imports in a row

@dataclass
class Scaling:
    runs: list = field(default_factory=list)  # one dict per run length
    ok: bool = None
    dev: float = None        # live/control's largest distance from 1, n >= 100
    drift: float = None      # last tenth's pair ratio over the first's, longest run
    raw_drift: float = None  # the same of the raw medians
    fit: tuple = None        # total = a + b * n: (a, b, R^2)


def scale_run(n, kv, ops):
    """One run of N imports kept live: ops is [(ns, control ns)]."""
    med = statistics.median
    xs = [a for a, _ in ops]
    cs = [c for _, c in ops]
    tenth = max(1, len(xs) // 10)
    pr = [a / c for a, c in ops if c]
    return {
        "n": n, "wall": int(kv["wall_ns"]), "sum": sum(xs),
        "mean": sum(xs) / len(xs), "median": med(xs),
        "ctl_sum": sum(cs), "ctl_mean": sum(cs) / len(cs),
        "verify": kv.get("verify", "?"),
        "first_med": med(xs[:tenth]), "last_med": med(xs[-tenth:]),
        # live / control, pair by pair: what only the live keys do
        "ratio": sum(xs) / sum(cs) if sum(cs) else float("nan"),
        "first_pair": median_of(pr[:tenth]),
        "last_pair": median_of(pr[-tenth:]),
    }


def least_squares(xs, ys):
    """y = a + b * x: (a, b, R^2)."""
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    a = my - b * mx
    ss_res = sum((y - a - b * x) ** 2 for x, y in zip(xs, ys))
    ss_tot = sum((y - my) ** 2 for y in ys)
    return a, b, 1 - ss_res / ss_tot if ss_tot else 1.0


def scaling(bench):
    runs = {}
    ops = {}
    for verb, kv in bench:
        if verb == "scale":
            runs[int(kv["n"])] = kv
        elif verb == "s":
            ops.setdefault(int(kv["n"]), []).append(
                (int(kv["ns"]), int(kv.get("control_ns", 0))))
    s = Scaling(runs=[scale_run(n, runs[n], ops[n]) for n in sorted(runs) if ops.get(n)])
    big = [r for r in s.runs if r["n"] >= 100]
    if big and len(s.runs) >= 2:
        top = big[-1]
        # live keys must not make an import dearer: against its control,
        # every run of 100 and more within 10%, and no drift across the
        # longest run
        s.dev = max(abs(r["ratio"] - 1) for r in big)
        s.drift = top["last_pair"] / top["first_pair"]
        s.raw_drift = top["last_med"] / top["first_med"]
        s.ok = s.dev <= 0.10 and s.drift <= 1.10
        s.fit = least_squares([r["n"] for r in s.runs], [r["sum"] for r in s.runs])
    return s


# ------------------------------------------------------------ kernel memory

@dataclass
class Memory:
    snap: dict = field(default_factory=dict)      # label: {meminfo field: int}
    slab: dict = field(default_factory=dict)      # label: {cache: (active, objsize, reclaimable)}
    kmemleak: dict = field(default_factory=dict)  # label: suspected leaks
    nmax: int = 0            # the longest run's live keys
    ok: bool = None
    grow: int = None         # SUnreclaim KiB, live - second baseline
    left: int = None         # after - second baseline
    noise: int = None        # first baseline - second
    tol: int = None
    caches: list = field(default_factory=list)  # [(name, per key, left, why)]
    obj_tol: int = None
    caches_ok: bool = None
    per_key: dict = field(default_factory=dict)  # kind: memory per live key


def mem_snapshots(bench):
    m = Memory()
    for verb, kv in bench:
        if verb == "mem":
            m.snap[kv["label"]] = {k: int(v) for k, v in kv.items() if k != "label"}
        elif verb == "slab":
            m.slab.setdefault(kv["label"], {})[kv["name"]] = (
                int(kv["active"]), int(kv.get("objsize", -1)),
                kv.get("reclaimable", "0") == "1")
        elif verb == "kmemleak":
            m.kmemleak[kv["label"]] = int(kv["leaks"])
    return m


def per_cache(slab, a, b, n):
    """Caches that grew by at least n/2 objects from label a to b:
    [(name, objects per key, bytes per key by the object's own size,
    why it is not one of the keys' own caches, or "")]. The keys' own
    caches grew by a whole number of objects per key (within 5%)."""
    res = []
    sa, sb = slab.get(a, {}), slab.get(b, {})
    for name, (act, objsize, reclaimable) in sb.items():
        d = act - sa.get(name, (0,))[0]
        if d < n / 2:
            continue
        per = d / n
        why = ""
        if name.startswith("kmemleak"):
            why = "kmemleak's bookkeeping"
        elif reclaimable:
            why = "reclaimable"
        elif abs(per - round(per)) > 0.05:
            why = "not a whole number of objects per key"
        res.append((name, per, d * max(objsize, 0) / n, why))
    return sorted(res, key=lambda x: -x[2])


def judge_unlink(m):
    """After the longest run's keys are unlinked: back to the second
    baseline, within tolerance, cache by cache, and kmemleak clean."""
    s = m.snap
    # base2: the second of two settled baselines; base - base2 is what
    # settling alone moves
    m.grow = s["live"]["sunreclaim_kb"] - s["base2"]["sunreclaim_kb"]
    m.left = s["after"]["sunreclaim_kb"] - s["base2"]["sunreclaim_kb"]
    m.noise = s["base"]["sunreclaim_kb"] - s["base2"]["sunreclaim_kb"]
    m.tol = max(abs(m.noise), m.grow // 100)
    m.caches = []
    for name, objs, _, why in per_cache(m.slab, "base2", "live", m.nmax):
        left = m.slab["after"].get(name, (0,))[0] - m.slab["base2"].get(name, (0,))[0]
        m.caches.append((name, objs, left, why))
    m.obj_tol = max(1, m.nmax // 100)
    m.caches_ok = all(abs(left) <= m.obj_tol for _, _, left, why in m.caches if not why)
    m.ok = abs(m.left) <= m.tol and m.caches_ok and m.kmemleak.get("after") == 0


def per_key(m):
    """Memory per live key: stock new vs import, from memkeys runs."""
    res = {}
    for kind in ("new", "import"):
        live = [label for label in m.snap if label.startswith(kind + "-live")]
        if not live or kind + "-base" not in m.snap:
            continue
        n = int(live[0][len(kind) + 5:])
        b, lv, af = (m.snap[kind + "-base"], m.snap[live[0]], m.snap.get(kind + "-after"))
        caches = per_cache(m.slab, kind + "-base", live[0], n)
        res[kind] = {
            "n": n,
            "per_key": (lv["sunreclaim_kb"] - b["sunreclaim_kb"]) * 1024 / n,
            "left_kb": af["sunreclaim_kb"] - b["sunreclaim_kb"] if af else None,
            "caches": caches,
            # without kmemleak's own bookkeeping, by the objects' own sizes
            "nodebug": sum(c[2] for c in caches if not c[3]),
        }
    return res


def memory(bench, nmax):
    m = mem_snapshots(bench)
    m.nmax = nmax
    if all(k in m.snap for k in ("base", "base2", "live", "after")) and nmax:
        judge_unlink(m)
    m.per_key = per_key(m)
    return m


# ------------------------------------------------------------ one boot

@dataclass
class Boot:
    name: str                  # tpm2, tpm12 or tpm2-nokmemleak
    results: list              # results.tap's ok / not ok lines
    env: dict                  # BENCH env
    module: dict               # BENCH module
    klog: dict                 # BENCH klog (TPM 1.2's splat counts)
    time: Timing
    count: Counts
    scale: Scaling
    mem: Memory

    def boot_ok(self):
        return bool(self.results) and not any(r.startswith("not ok") for r in self.results)

    def targets(self):
        """target: met, in the order of the report's table."""
        res = {}
        for name in RATIOS:
            r = self.time.ratio.get(name)
            res[name] = r is not None and r["median"] <= TARGET_RATIO
        res["commands"] = bool(self.count.ok)
        res["memory"] = bool(self.mem.ok)
        res["linear"] = bool(self.scale.ok)
        res["boot"] = self.boot_ok()
        return res


def merged(bench, verb):
    """The key=value pairs of every BENCH VERB line, later ones winning."""
    res = {}
    for v, kv in bench:
        if v == verb:
            res.update(kv)
    return res


def last(bench, verb, conv=str):
    """The key=value pairs of the last BENCH VERB line."""
    res = {}
    for v, kv in bench:
        if v == verb:
            res = {k: conv(x) for k, x in kv.items()}
    return res


def analyse_boot(out, name):
    d = os.path.join(out, name)
    bench = parse_bench(os.path.join(d, "tap.log"))
    cmds = parse_swtpm(os.path.join(d, "swtpm.log"))
    scale = scaling(bench)
    return Boot(
        name=name,
        results=read_results(os.path.join(d, "results.tap")),
        env=merged(bench, "env"),
        module=merged(bench, "module"),
        klog=last(bench, "klog", float),
        time=timing(bench),
        # markers and names by the boot's name, tpm2 or tpm12: the
        # kmemleak=off boot's commands are not counted (nor shown)
        count=counts(cmds, name),
        scale=scale,
        mem=memory(bench, max([r["n"] for r in scale.runs], default=0)),
    )


# ------------------------------------------------------------ the run

@dataclass
class Run:
    command: str               # what reproduces the run
    wall: int                  # the whole run's seconds
    kernel_pkg: str
    boots: list                # the TPMs' boots, in --tpms order
    extra: list                # the kmemleak=off boot, if any
    date: str
    load: tuple                # load average at the start and the end
    swtpm: str                 # versions of the tools, "?" when unknown
    qemu: str
    cpu: str
    cores: int
    sizes: dict                # ko, nokasan, trusted: size_of()

    def first(self, what, key):
        """The first boot's non-empty BENCH WHAT KEY, or "?"."""
        return next((getattr(b, what).get(key) for b in self.boots
                     if getattr(b, what).get(key)), "?")

    def ok(self):
        return all(all(b.targets().values()) for b in self.boots)


def tool_version(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines()[0].strip()
    except (OSError, IndexError):
        return "?"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def run_date(out):
    """When the boots ended, so that a report made again from the same
    output keeps the run's date."""
    end = os.path.join(out, "loadavg-end")
    when = os.path.getmtime(end) if os.path.exists(end) else None
    date = datetime.datetime.fromtimestamp(when, datetime.timezone.utc) if when \
        else datetime.datetime.now(datetime.timezone.utc)
    return date.strftime("%Y-%m-%d %H:%M UTC")


def analyse_run(out, tpms, command, wall, kernel_pkg):
    """tpms: the --tpms words, "2" and "12"."""
    boots = [analyse_boot(out, "tpm12" if t == "12" else "tpm2") for t in tpms.split()]
    extra = [analyse_boot(out, EXTRA_BOOT)] \
        if os.path.isdir(os.path.join(out, EXTRA_BOOT)) else []
    swtpm = tool_version(["swtpm", "--version"])
    return Run(
        command=command, wall=wall, kernel_pkg=kernel_pkg,
        boots=boots, extra=extra, date=run_date(out),
        load=tuple(first_word(os.path.join(out, f)) for f in ("loadavg-start", "loadavg-end")),
        swtpm=swtpm.replace("TPM emulator version ", "").split(",")[0],
        qemu=tool_version(["qemu-system-x86_64", "--version"]).replace(" version", ""),
        cpu=cpu_model(), cores=os.cpu_count() or 0,
        sizes={k: size_of(os.path.join(out, "size-%s.txt" % f)) for k, f in
               (("ko", "ko"), ("nokasan", "ko-nokasan"), ("trusted", "trusted"))},
    )
