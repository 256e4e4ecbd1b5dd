#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# SWUpdate shellscript handler: make the one-time trusted-import migration
# run on the first boot of the image just installed.
# An example to adapt, not tested against SWUpdate; see README.md here.
#
# SWUpdate runs a script of type "shellscript" twice, with "preinst"
# before and "postinst" after the images are installed (newer versions
# also call "postfailure" after a failed update); the script's "data"
# attribute is appended as further arguments. Here, data names the
# partition the new root file system was written to. In sw-description,
# for the copy that writes /dev/mmcblk0p3:
#
#   images: ( {
#       filename = "rootfs.ext4";
#       device = "/dev/mmcblk0p3";
#   } );
#   files: ( {
#       filename = "migrate.conf";
#       path = "/etc/trusted-import/migrate.conf";
#       device = "/dev/mmcblk0p3";
#       filesystem = "ext4";
#       properties = { create-destination = "true"; };
#   } );
#   scripts: ( {
#       filename = "swupdate-migrate.sh";
#       type = "shellscript";
#       data = "/dev/mmcblk0p3";
#   } );
#
# (Leave out the files entry if the image already carries migrate.conf.)
#
# What it does on postinst: mounts the new root file system, checks that
# it carries migrate.conf (mode 0600), the module, the tool and
# migrate-once, and removes the done-marker so that migrate-once runs the
# tool once on the next boot. A device that migrated before just gets
# "already migrated" (exit 0) then; a pending step is finished.
#
# What it does NOT do: import. The key is sealed on the first boot of the
# new image, never from the updater, because the running kernel may lack
# trusted_import (DKMS built it for the new kernel), sealing to PCRs or a
# policy must happen in the new boot's state, the old key must stay usable
# until the new image has shown on its own boot that the new key opens the
# volume (a failed boot falls back to the old copy, which needs the old
# key), and an updater's environment is no place for key bytes.
set -eu
# SWUpdate may start scripts with a minimal environment.
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH

# The done-marker, as seen from the new image. If /var/lib is on a shared
# data partition, set SHARED_STAMP to its path as the running system sees it.
STAMP=/var/lib/trusted-import/migrated
SHARED_STAMP=
CONF=/etc/trusted-import/migrate.conf

log() { echo "trusted-import swupdate: $*" >&2; }

case ${1:-} in
postinst) ;;
*) exit 0 ;; # preinst, postfailure: nothing to do
esac
dev=${2:-}
if [ ! -b "$dev" ]; then
	log "no target partition: set data = \"/dev/...\" in sw-description"
	exit 1
fi

mnt=$(mktemp -d)
cleanup() {
	umount "$mnt" 2>/dev/null || :
	rmdir "$mnt" 2>/dev/null || :
}
trap cleanup EXIT
mount "$dev" "$mnt"

if [ -f "$mnt$CONF" ]; then
	chown 0:0 "$mnt$CONF"
	chmod 600 "$mnt$CONF"
fi
if ! grep -q '^[[:blank:]]*NAME=' "$mnt$CONF" 2>/dev/null ||
	! grep -q '^[[:blank:]]*BLOB=' "$mnt$CONF"; then
	log "the new image has no usable $CONF: it would not migrate"
	exit 1
fi
for f in /usr/sbin/trusted-import-migrate /usr/libexec/trusted-import/migrate-once; do
	if [ ! -x "$mnt$f" ]; then
		log "the new image lacks $f"
		exit 1
	fi
done
if [ -z "$(find "$mnt/lib/modules" -name 'trusted_import.ko*' 2>/dev/null | head -n 1)" ]; then
	log "the new image has no trusted_import module (DKMS build missing?)"
	exit 1
fi

rm -f "$mnt$STAMP" "$mnt${STAMP%/*}/.${STAMP##*/}.tmp."*
if [ -n "$SHARED_STAMP" ]; then
	rm -f "$SHARED_STAMP"
fi
sync
log "the first boot of $dev will run the migration"
