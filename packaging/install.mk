# make install / make uninstall (included by the top-level Makefile).
#
#   make install [PREFIX=/usr/local] [DESTDIR=]
#
#   $(PREFIX)/bin/pcsleuth
#   $(PREFIX)/share/man/man1/pcsleuth.1, pcmd5.1; man4/pcwatch.4
#   $(CRASH_EXTDIR)/pcmd5.so         a directory crash searches for `extend pcmd5.so`
#                                    (crash: cwd, $CRASH_EXTENSIONS, /usr/lib64/crash/extensions,
#                                    /usr/lib/crash/extensions, ./extensions); Debian's crash
#                                    ships its own extensions in /usr/lib/crash/extensions
#   $(PREFIX)/src/pcwatch-VERSION/   the module's sources + dkms.conf (`dkms add` that directory)
#   $(BASHCOMPDIR)/pcsleuth          bash completion
#   $(DOCDIR)/                       README and docs/*.md
#
# Installs what `make` built for the host in $(BUILD) (release build by default).

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/pcsleuth
SRCDIR ?= $(PREFIX)/src
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
CRASH_EXTDIR ?= /usr/lib/crash/extensions

PCWATCH_SRC := $(SRCDIR)/pcwatch-$(VERSION)
PCWATCH_FILES := $(wildcard capture-kmod/*.c capture-kmod/*.h) capture-kmod/Kbuild capture-kmod/Makefile
INSTALL_DOCS := README.md $(wildcard docs/*.md)
INSTALL_EXT := $(if $(filter $(BUILD)/pcmd5.so,$(ALL_TARGETS)),$(BUILD)/pcmd5.so,)

.PHONY: install uninstall
install: $(SA_BIN) $(INSTALL_EXT)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man4 \
		$(DESTDIR)$(DOCDIR) $(DESTDIR)$(PCWATCH_SRC) $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 $(SA_BIN) $(DESTDIR)$(BINDIR)/pcsleuth
	install -m 644 docs/pcsleuth.1 docs/pcmd5.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 docs/pcwatch.4 $(DESTDIR)$(MANDIR)/man4/
	install -m 644 $(INSTALL_DOCS) $(DESTDIR)$(DOCDIR)/
	install -m 644 $(PCWATCH_FILES) $(DESTDIR)$(PCWATCH_SRC)/
	sed 's/#MODULE_VERSION#/$(VERSION)/' packaging/pcwatch-dkms.conf >$(DESTDIR)$(PCWATCH_SRC)/dkms.conf
	install -m 644 packaging/bash-completion/pcsleuth $(DESTDIR)$(BASHCOMPDIR)/pcsleuth
ifneq ($(INSTALL_EXT),)
	install -d $(DESTDIR)$(CRASH_EXTDIR)
	install -m 644 $(INSTALL_EXT) $(DESTDIR)$(CRASH_EXTDIR)/pcmd5.so
endif

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/pcsleuth $(DESTDIR)$(MANDIR)/man1/pcsleuth.1 \
		$(DESTDIR)$(MANDIR)/man1/pcmd5.1 $(DESTDIR)$(MANDIR)/man4/pcwatch.4 \
		$(DESTDIR)$(BASHCOMPDIR)/pcsleuth $(DESTDIR)$(CRASH_EXTDIR)/pcmd5.so
	rm -rf $(DESTDIR)$(DOCDIR) $(DESTDIR)$(PCWATCH_SRC)
