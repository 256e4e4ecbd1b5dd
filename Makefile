# SPDX-License-Identifier: GPL-2.0
# Convenience targets. Kbuild (not this file) describes the module, so that
# DKMS and `make -C $(KDIR) M=...` both build it the same way.

# The kernel to build against: KDIR, or KERNEL_SRC (what Yocto's
# module.bbclass passes; the same thing), by default the running kernel's
# build tree. O= is the kernel's own output directory, for a kernel built
# with one (KDIR its sources). docs/packaging.md lists every variable.
ifneq ($(and $(KDIR),$(KERNEL_SRC)),)
ifneq ($(abspath $(KDIR)),$(abspath $(KERNEL_SRC)))
$(error KDIR=$(KDIR) and KERNEL_SRC=$(KERNEL_SRC) name different kernels; set one of them)
endif
endif
ifeq ($(KDIR),)
KDIR := $(or $(KERNEL_SRC),/lib/modules/$(shell uname -r)/build)
endif
# Kbuild for this directory. Kbuild's own variables (ARCH, CROSS_COMPILE,
# MODLIB, DEPMOD, ...) reach it unchanged, as make passes them down.
# ($(MAKE) stays in each recipe, so that make -n and -j see a sub-make.)
KBUILD_ARGS = -C $(KDIR) M=$(CURDIR) $(if $(O),O=$(O))
# modules_install: $(INSTALL_MOD_PATH)/lib/modules/<kernelrelease>/$(INSTALL_MOD_DIR)/
# (the same on every kernel: 5.10 and 6.1 Kbuild say "extra", later ones "updates")
INSTALL_MOD_DIR ?= updates
INSTALL_MOD_PATH ?= $(DESTDIR)
# The one kernel (VERSION/ARCH, a line of tests/matrix.conf) that
# check-quick and the single-part targets below run: by default the first
# line of tests/matrix.conf, which is also the kernel of lint and demo.
TI_KERNEL ?= $(shell awk '!/^[[:space:]]*(\#|$$)/ { print $$1 "/" $$2; exit }' tests/matrix.conf)
TI_KVER ?= $(firstword $(subst /, ,$(TI_KERNEL)))
ONE := TI_QUICK=1 TI_MATRIX=$(TI_KERNEL)
VERSION := $(shell sh compat/version.sh dkms.conf)
# What the DKMS package holds: the module's sources and nothing else.
DKMS_FILES := Kbuild dkms.conf LICENSE src include compat
DKMS_SRC ?= /usr/src/trusted-import-$(VERSION)

.PHONY: all module modules modules_install install dkms-src dkms-install clean lint deps demo check check-quick check-unit fuzz stress check-badinput check-faults check-tpm-faults check-memory tools install-tools check-migrate bench

all: module

module modules:
	$(MAKE) $(KBUILD_ARGS) modules

# Installs what `make modules` built, and builds nothing (as Kbuild's own
# modules_install); `make modules modules_install` orders them, even with -j.
MODULES_INSTALL_ARGS = $(KBUILD_ARGS) INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) \
	$(if $(INSTALL_MOD_PATH),INSTALL_MOD_PATH=$(INSTALL_MOD_PATH)) modules_install
modules_install: $(filter all module modules,$(MAKECMDGOALS))
	$(MAKE) $(MODULES_INSTALL_ARGS)

install: module
	$(MAKE) $(MODULES_INSTALL_ARGS)

# Copy the package's files to $(DKMS_SRC), where `dkms add` expects them.
dkms-src:
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)
	cp -r $(DKMS_FILES) $(DKMS_SRC)/

dkms-install: dkms-src
	dkms add -m trusted-import -v $(VERSION)
	dkms install -m trusted-import -v $(VERSION)

# The field tools: trusted-import-migrate (needs libkeyutils-dev), its man
# page, and the boot integration (docs/migration.md). What install-tools
# installs, for each choice below, is listed in docs/packaging.md.
PREFIX ?= /usr
# The boot service: the systemd unit (WITH_SYSTEMD=1), into SYSTEMD_UNIT_DIR
# (by default what pkg-config says for systemd, else /lib/systemd/system),
# and the SysV init script (WITH_SYSV=1).
WITH_SYSTEMD ?= 1
WITH_SYSV ?= 0
PKG_CONFIG ?= pkg-config
ifeq ($(SYSTEMD_UNIT_DIR),)
SYSTEMD_UNIT_DIR = $(or $(shell $(PKG_CONFIG) --variable=systemdsystemunitdir systemd 2>/dev/null),/lib/systemd/system)
endif
# tools/Makefile's O= is the tool's output directory, not the kernel's: the
# tool is built in tools/ whatever O= says here.
TOOLS_ARGS = -C tools O=$(CURDIR)/tools

tools:
	$(MAKE) $(TOOLS_ARGS)

install-tools: tools
	$(MAKE) $(TOOLS_ARGS) install PREFIX=$(PREFIX)
	install -D -m 0755 tools/boot/trusted-import-migrate-once \
		$(DESTDIR)$(PREFIX)/libexec/trusted-import/migrate-once
ifeq ($(WITH_SYSTEMD),1)
	install -D -m 0644 tools/boot/trusted-import-migrate.service \
		$(DESTDIR)$(SYSTEMD_UNIT_DIR)/trusted-import-migrate.service
endif
ifeq ($(WITH_SYSV),1)
	install -D -m 0755 tools/boot/trusted-import-migrate.init \
		$(DESTDIR)/etc/init.d/trusted-import-migrate
endif
	install -D -m 0644 tools/boot/migrate.conf.example \
		$(DESTDIR)/etc/trusted-import/migrate.conf.example

clean:
	$(MAKE) $(TOOLS_ARGS) clean
	rm -rf *.ko *.mod *.mod.c *.o .*.o .*.cmd src/*.o src/.*.cmd \
		Module.symvers modules.order .tmp_versions

deps:
	tests/deps.sh

lint: deps
	tests/lint.sh $(TI_KVER)

demo: deps
	tests/vm/demo.sh $(TI_KVER)

# Every kernel of tests/matrix.conf, plus Debian's stock headers.
check: deps
	tests/run.sh

# One kernel (TI_KERNEL), for iteration.
check-quick: deps
	$(ONE) tests/run.sh

# The concurrency test at full size (8 x 50 imports), alone.
stress: deps
	$(ONE) TI_BOOTS=stress TI_STRESS_N=50 tests/run.sh

# One part of the security campaign at a time (each is also in check).
check-badinput: deps
	$(ONE) TI_BOOTS=main tests/run.sh
check-faults: deps
	$(ONE) TI_BOOTS=faults tests/run.sh
check-tpm-faults: deps
	$(ONE) TI_BOOTS="tpm-fault tpm-fault-reboot" tests/run.sh
check-memory: deps
	$(ONE) TI_BOOTS=memscan tests/run.sh
# trusted-import-migrate: the tool, the field scenarios, the power cuts
check-migrate: deps
	$(ONE) TI_BOOTS="migtool field powercut" TI_POWERCUTS=20 tests/run.sh

# Import against the stock type's own cost (docs/benchmarks.md); not in check.
bench: deps
	tests/bench/run.sh

check-unit:
	tests/unit/run.sh

# Fuzz the payload parser; make check runs it for 60 s.
FUZZ_SECONDS ?= 600
fuzz:
	tests/fuzz/run.sh $(FUZZ_SECONDS)
