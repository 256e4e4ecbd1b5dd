// SPDX-License-Identifier: GPL-2.0
/*
 * trusted-import: import an existing key into the kernel's trusted keys,
 * sealed by whichever backend (TPM, TEE, CAAM, DCP) the stock trusted key
 * type uses, or into a stock encrypted key's blob under a trusted (or
 * user) master.
 */
#include <linux/key-type.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>
#include <linux/rwsem.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "trusted_import.h"

bool ti_allow_unprivileged;
module_param_named(allow_unprivileged, ti_allow_unprivileged, bool, 0444);
MODULE_PARM_DESC(allow_unprivileged,
		 "Let callers without CAP_SYS_ADMIN import keys (default: N)");

/*
 * The one-way off switch: after a device's migration, a boot service writes
 * 0, and imports stay refused until the module is reloaded or the device
 * reboots. Nothing turns it back on.
 *
 * It is a barrier, not a flag: every import holds ti_imports_sem for read
 * from ->preparse to ->free_preparse, and the switch takes it for write.
 * So when the write of 0 returns, every import that got past the check has
 * finished, and every later one sees the switch off.
 */
static bool ti_imports_off;
static DECLARE_RWSEM(ti_imports_sem);

static bool ti_imports_disabled(void)
{
	return READ_ONCE(ti_imports_off);
}

int ti_import_begin(void)
{
	if (down_read_killable(&ti_imports_sem))
		return -EINTR;
	if (ti_imports_disabled()) {
		up_read(&ti_imports_sem);
		return -EPERM;
	}
	return 0;
}

void ti_import_end(void)
{
	up_read(&ti_imports_sem);
}

static int ti_imports_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int ret;

	ret = kstrtobool(val, &on);
	if (ret)
		return ret;
	if (on)
		return ti_imports_disabled() ? -EPERM : 0;
	/* waits for the imports in flight */
	down_write(&ti_imports_sem);
	if (!ti_imports_disabled())
		pr_notice("imports disabled until reboot or module reload\n");
	WRITE_ONCE(ti_imports_off, true);
	up_write(&ti_imports_sem);
	return 0;
}

static int ti_imports_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n",
			  ti_imports_disabled() ? "disabled" : "enabled");
}

static const struct kernel_param_ops ti_imports_ops = {
	.set = ti_imports_set,
	.get = ti_imports_get,
};
module_param_cb(imports, &ti_imports_ops, NULL, 0644);
MODULE_PARM_DESC(imports,
		 "Write 0 to refuse all imports until reboot or reload (one way); reads enabled or disabled");

static int __init ti_init(void)
{
	int ret;

	ti_stock_load();
	ti_enc_load();
	ret = register_key_type(&ti_key_type);
	if (ret)
		goto release;
	ret = register_key_type(&ti_enc_key_type);
	if (ret) {
		unregister_key_type(&ti_key_type);
		goto release;
	}
	pr_info("key types '%s' and '%s' registered%s\n", ti_key_type.name,
		ti_enc_key_type.name,
		ti_allow_unprivileged ? " (unprivileged imports allowed)" : "");
	return 0;
release:
	ti_stock_release();
	ti_enc_release();
	return ret;
}

static void __exit ti_exit(void)
{
	/* destroys every key of ours, so nothing uses the stock code after */
	unregister_key_type(&ti_enc_key_type);
	unregister_key_type(&ti_key_type);
	/* the stock update frees replaced payloads with call_rcu() */
	rcu_barrier();
	ti_stock_release();
	ti_enc_release();
}

module_init(ti_init);
module_exit(ti_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("trusted-import developers");
MODULE_DESCRIPTION("Import an existing key into the kernel's trusted or encrypted keys");
MODULE_VERSION(TI_VERSION);
MODULE_SOFTDEP("pre: trusted");
/* "module" on kernels before 5.13, where src/tpm2_legacy.c seals TPM 2.0 */
MODULE_INFO(tpm2_sealer, TI_TPM2_SEALER);
