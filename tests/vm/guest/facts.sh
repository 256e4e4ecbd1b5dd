# SPDX-License-Identifier: GPL-2.0
# Facts the host and the guest must agree on, in POSIX sh: sourced by the
# guest's lib.sh (inside the initramfs, as /ti/facts.sh) and by the host's
# tests/lib/common.sh.

# The persistent storage key tests/vm/tpm.sh makes on a TPM 2.0.
TI_KH=keyhandle=0x81000001
# TPM 1.2: the SRK's secret. swtpm 0.7 makes it SHA-1 of 20 zero bytes, not
# the 20 zero bytes the stock type assumes (tests/vm/tpm.sh --tpm12).
TI_SRK_KEYAUTH=keyauth=6768033e216468247bd031a0a2d9876d79818f8f
# errno strings as keyctl prints them ("add_key: Invalid argument")
EPERM="Operation not permitted"
ENOENT="No such file or directory"
EACCES="Permission denied"
EEXIST="File exists"
EINVAL="Invalid argument"
ENODEV="No such device"
ENOKEY="Required key not available"
EKEYREVOKED="Key has been revoked"
EOPNOTSUPP="Operation not supported"
EMSGSIZE="Message too long"
E2BIG="Argument list too long"
# delete_module() on a module whose count is held; busybox rmmod prints it
EWOULDBLOCK="Resource temporarily unavailable"
