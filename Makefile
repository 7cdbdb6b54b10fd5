# SPDX-License-Identifier: GPL-2.0
#
# offloadmod top level.
#   make                  module (against KDIR) and offloadmod-ctl
#   make check            all tests: host, KUnit, selftests on 6.1/6.12/debug in qemu
#   make demo             the main job in a Debian 6.12 VM
#   make bench            overhead benchmark in a Debian 6.12 VM (-icount)
#   make install          offloadmod-ctl, man page, completion (PREFIX, DESTDIR)
#                         and the module for KDIR (modules_install)
#   make dkms-install     register, build and install the module with DKMS
#   make dkms-remove      remove it from DKMS again

KDIR	?= /lib/modules/$(shell uname -r)/build
PREFIX	?= /usr/local
DESTDIR	?=
VERSION	:= $(shell cat VERSION)
DKMS_SRC := $(DESTDIR)/usr/src/offloadmod-$(VERSION)

all: module userspace

module:
	@test -f $(KDIR)/Makefile || { echo "No kernel build tree at KDIR=$(KDIR):" \
		"install linux-headers-$$(uname -r) or pass KDIR=..." >&2; exit 2; }
	$(MAKE) -C kmod KDIR=$(KDIR)

userspace:
	$(MAKE) -C userspace

check:
	tools/check

demo:
	tools/demo

bench:
	tools/bench

install: install-userspace install-module

install-userspace:
	$(MAKE) -C userspace install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)

install-module: module
	$(MAKE) -C kmod KDIR=$(KDIR) modules_install INSTALL_MOD_PATH=$(DESTDIR)

dkms-install:
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)
	cp -r dkms.conf VERSION kmod uapi $(DKMS_SRC)/
	$(MAKE) -s -C $(DKMS_SRC)/kmod clean KDIR=/nonexistent
	dkms add -m offloadmod -v $(VERSION)
	dkms build -m offloadmod -v $(VERSION)
	dkms install -m offloadmod -v $(VERSION)

dkms-remove:
	dkms remove -m offloadmod -v $(VERSION) --all
	rm -rf $(DKMS_SRC)

clean:
	$(MAKE) -C kmod clean KDIR=/nonexistent
	$(MAKE) -C userspace clean
	$(MAKE) -C bpf clean
	rm -rf build

.PHONY: all module userspace check demo bench install install-userspace \
	install-module dkms-install dkms-remove clean
