# SPDX-License-Identifier: GPL-2.0
# Memory hygiene: after an import and an unlink, the key must be nowhere in
# guest RAM. The host made the key and wrote the payload to /dev/vda (its only disk), so
# this script never holds it in a variable; the host dumps RAM through the
# QEMU monitor once we say TI-MEMSCAN, and searches it (memscan.py). The
# guest boots with init_on_free=1, so what is found is live, not a freed
# page that nobody wiped.
load_modules
check "the guest zeroes memory on free" grep -q 'init_on_free=1' /proc/cmdline
id=$(tr -d '\000' < /dev/vda | keyctl padd trusted-import mem @s)
check "import of the host's key" test -n "$id"
check "its blob reads back" sh -c "keyctl pipe $id | grep -qE '^[0-9a-f]+\$'"
keyctl unlink "$id" @s >/dev/null
# the block device's page cache held the payload too
blockdev --flushbufs /dev/vda
sync
echo 3 > /proc/sys/vm/drop_caches
sleep 3		# let the key garbage collector destroy the key
check "the key is gone" sh -c "! grep -q ' trusted-i .* mem:' /proc/keys"
tap_raw "TI-MEMSCAN"
# the host stops the VM, saves its RAM and lets it go on
sleep 30
