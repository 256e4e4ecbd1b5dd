#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# RAUC bundle hook (slot-post-install): make the one-time trusted-import
# migration run on the first boot of the image just installed.
# An example to adapt, not tested against RAUC; see README.md here.
#
# In the bundle's manifest.raucm:
#
#   [hooks]
#   filename=rauc-post-install.sh
#
#   [image.rootfs]
#   filename=rootfs.ext4
#   hooks=post-install
#
# RAUC mounts the freshly written slot for a post-install hook and runs
# this file from the mounted bundle with "slot-post-install" as $1; the
# slot's mount point is in RAUC_SLOT_MOUNT_POINT, its class in
# RAUC_SLOT_CLASS. Put the device's migrate.conf next to this hook in the
# bundle, or build it into the image as /etc/trusted-import/migrate.conf.
#
# What it does: installs migrate.conf into the new slot, checks that the
# new image carries the module, the tool and migrate-once, and removes the
# done-marker so that migrate-once runs the tool once on the next boot. A
# device that migrated before just gets "already migrated" (exit 0) then;
# a step that was still pending (e.g. DESTROY_OLD turned on in this
# release) is finished.
#
# What it does NOT do: import. The key is sealed on the first boot of the
# new image, never from here, because
#  - the running (old) kernel may lack trusted_import, or trusted keys
#    altogether; DKMS built the module for the new image's kernel;
#  - sealing to PCR values or a policy must happen in the new boot's state;
#  - the old key must stay usable until the new image has shown, on its own
#    boot, that the new key opens the volume: if that boot fails, RAUC falls
#    back to the old slot, which still needs the old key;
#  - the running system may already have imports turned off, and an
#    updater's environment (logs, temp files) is no place for key bytes.
set -eu

# Where the done-marker lives, as seen from the new image. If /var/lib is on
# a shared data partition rather than in the slot, set SHARED_STAMP to the
# marker's path as the running system sees it (e.g. /data/trusted-import/migrated).
STAMP=/var/lib/trusted-import/migrated
SHARED_STAMP=
CONF=/etc/trusted-import/migrate.conf

log() { echo "trusted-import hook: $*" >&2; }

case ${1:-} in
slot-post-install) ;;
*) exit 0 ;; # other hooks are not ours
esac
[ "${RAUC_SLOT_CLASS:-}" = rootfs ] || exit 0
root=${RAUC_SLOT_MOUNT_POINT:-}
if [ -z "$root" ] || [ ! -d "$root" ]; then
	log "RAUC_SLOT_MOUNT_POINT not set: is the rootfs slot a file system type?"
	exit 1
fi

# The config: from the bundle if it carries one, else from the image.
bundled=$(dirname "$0")/migrate.conf
if [ -f "$bundled" ]; then
	mkdir -p "$root${CONF%/*}"
	cp "$bundled" "$root$CONF.new"
	chown 0:0 "$root$CONF.new"
	chmod 600 "$root$CONF.new"
	mv -f "$root$CONF.new" "$root$CONF"
	log "installed $CONF from the bundle"
fi
if ! grep -q '^[[:blank:]]*NAME=' "$root$CONF" 2>/dev/null ||
	! grep -q '^[[:blank:]]*BLOB=' "$root$CONF"; then
	log "the new image has no usable $CONF: it would not migrate"
	exit 1
fi

# Refuse an image that cannot do the migration, rather than find out on
# the device.
for f in /usr/sbin/trusted-import-migrate /usr/libexec/trusted-import/migrate-once; do
	if [ ! -x "$root$f" ]; then
		log "the new image lacks $f"
		exit 1
	fi
done
if [ -z "$(find "$root/lib/modules" -name 'trusted_import.ko*' 2>/dev/null | head -n 1)" ]; then
	log "the new image has no trusted_import module (DKMS build missing?)"
	exit 1
fi

# The done-marker must be absent on the first boot of the new image.
rm -f "$root$STAMP" "$root${STAMP%/*}/.${STAMP##*/}.tmp."*
if [ -n "$SHARED_STAMP" ]; then
	rm -f "$SHARED_STAMP"
fi
sync
log "the first boot of $RAUC_SLOT_NAME will run the migration"
