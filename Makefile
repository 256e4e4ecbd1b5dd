# SPDX-License-Identifier: GPL-2.0
# Convenience targets. Kbuild (not this file) describes the module, so that
# DKMS and `make -C $(KDIR) M=...` both build it the same way.

KDIR ?= /lib/modules/$(shell uname -r)/build
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

.PHONY: all module install dkms-src dkms-install clean lint deps demo check check-quick check-unit fuzz stress check-badinput check-faults check-tpm-faults check-memory tools install-tools check-migrate bench

all: module

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

install: module
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install

# Copy the package's files to $(DKMS_SRC), where `dkms add` expects them.
dkms-src:
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)
	cp -r $(DKMS_FILES) $(DKMS_SRC)/

dkms-install: dkms-src
	dkms add -m trusted-import -v $(VERSION)
	dkms install -m trusted-import -v $(VERSION)

# The field tools: trusted-import-migrate (needs libkeyutils-dev), its man
# page, and the boot integration (docs/migration.md).
PREFIX ?= /usr
tools:
	$(MAKE) -C tools

install-tools: tools
	$(MAKE) -C tools install PREFIX=$(PREFIX)
	install -D -m 0755 tools/boot/trusted-import-migrate-once \
		$(DESTDIR)$(PREFIX)/libexec/trusted-import/migrate-once
	install -D -m 0644 tools/boot/trusted-import-migrate.service \
		$(DESTDIR)/lib/systemd/system/trusted-import-migrate.service
	install -D -m 0755 tools/boot/trusted-import-migrate.init \
		$(DESTDIR)/etc/init.d/trusted-import-migrate
	install -D -m 0644 tools/boot/migrate.conf.example \
		$(DESTDIR)/etc/trusted-import/migrate.conf.example

clean:
	$(MAKE) -C tools clean
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
