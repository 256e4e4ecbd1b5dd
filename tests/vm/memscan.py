#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Scan a running guest's RAM for a key, from the QEMU monitor.

Usage: memscan.py TAP_LOG MONITOR_SOCKET KEY_HEX DUMP_FILE RESULT_FILE

Waits until the guest writes "TI-MEMSCAN" on its TAP channel (it has
imported the key, dropped it and every other copy it made, and now sleeps),
saves all guest RAM with the monitor's pmemsave, and counts the key as raw
bytes and as hex in either case. Writes two TAP lines to RESULT_FILE (the
count, and a control that the dump holds the guest's own scripts) and
deletes the dump.
"""
import os
import socket
import sys
import time

tap, mon, keyhex, dump, result = sys.argv[1:6]
ram = int(os.environ.get("TI_VM_RAM_BYTES", str(1536 << 20)))
# guest physical address of the RAM: 0 on pc, 1 GiB on arm64's virt
base = int(os.environ.get("TI_VM_RAM_BASE", "0"), 0)


def say(ok, what, mode="w"):
    with open(result, mode) as f:
        f.write("%s - %s\n" % ("ok" if ok else "not ok", what))


deadline = time.time() + float(os.environ.get("TI_VM_TIMEOUT", "900"))
while time.time() < deadline:
    try:
        with open(tap, "rb") as f:
            if b"TI-MEMSCAN" in f.read():
                break
    except FileNotFoundError:
        pass
    time.sleep(0.5)
else:
    say(False, "memory scan: the guest never asked for it")
    sys.exit(0)

s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(mon)
s.settimeout(120)
# the file name is quoted: unquoted, HMP parses "/" as an operator
s.sendall(b"stop\npmemsave %d %d \"%s\"\ncont\n" % (base, ram, dump.encode()))
# the monitor answers each command with a prompt; wait for the dump file
end = time.time() + 120
while time.time() < end and not (os.path.exists(dump) and os.path.getsize(dump) == ram):
    time.sleep(0.5)
time.sleep(1)
s.close()
if not os.path.exists(dump) or os.path.getsize(dump) != ram:
    say(False, "memory scan: pmemsave produced no full dump")
    sys.exit(0)

key = bytes.fromhex(keyhex)
with open(dump, "rb") as f:
    mem = f.read()
os.unlink(dump)
found = {
    "raw": mem.count(key),
    "hex": mem.count(keyhex.lower().encode()),
    "HEX": mem.count(keyhex.upper().encode()),
    # half the key is already too much: look for each half as well
    "raw-half": mem.count(key[: len(key) // 2]) + mem.count(key[len(key) // 2:]),
}
total = sum(found.values())
detail = ", ".join("%s %d" % kv for kv in found.items())
say(total == 0, "memory scan: the imported key is nowhere in guest RAM (%s)" % detail)
# the control: a dump of anything but the guest's RAM finds nothing either;
# the guest's scripts (in its initramfs) name the marker it printed
say(mem.count(b"TI-MEMSCAN") > 0,
    "memory scan: the dump is the guest's RAM (it holds the guest's scripts)", "a")
