# pvopsc: build the compiler, generate, check, test.
#   make            build build/pvopsc
#   make gen        regenerate generated/ (and spec/pvops.schema.json) from spec/pvops.yaml,
#                   spec/linux-6.1.yaml and templates/
#   make check-gen  fail (with a diff) if generated/ is stale
#   make review     what the working tree's spec changes in the binary interface (pvopsc diff
#                   against the spec of HEAD)
#   make runtime    the x86 runtime (patcher, user-space backends, generated tables) per arch
#   make test       the whole suite (ends with "N passed, N failed")
#   make deps       install the Debian packages the project needs
#   make bench      timings;  make fuzz: run the fuzzers;  make docs: README's key tables
#   make install    PREFIX=/usr/local DESTDIR=: pvopsc, its templates, pvopsc(1); make uninstall
#   make clean

MAKEFLAGS += -r    # no built-in rules: they would regenerate compiler/tmpl.c from tmpl.y
.SUFFIXES:

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN     = -Wall -Wextra -Werror
XCFLAGS  = -std=c11 -D_GNU_SOURCE $(WARN) -Icompiler -I$(B) -MMD -MP
LDLIBS   = -lyaml -lZydis
B       ?= build
SPEC     = spec/pvops.yaml
PVOPSC   = $(B)/pvopsc

# Compiler: the core (compiler/*.c), each family's folder (compiler/FAMILY/*.c), plus the
# sources flex and bison build from compiler/*.l, *.y. Objects mirror the folders under $(B)/.
FAMILIES = x86 ia64
SOURCES  = $(wildcard compiler/*.c $(FAMILIES:%=compiler/%/*.c))
GRAMMARS = $(patsubst compiler/%.y,%,$(wildcard compiler/*.y))
LEXERS   = $(patsubst compiler/%.l,%,$(wildcard compiler/*.l))
GEN_H    = $(GRAMMARS:%=$(B)/%.tab.h) $(LEXERS:%=$(B)/%.lex.h)
LIB_OBJS = $(patsubst compiler/%.c,$(B)/%.o,$(filter-out compiler/main.c,$(SOURCES))) \
           $(GRAMMARS:%=$(B)/%.tab.o) $(LEXERS:%=$(B)/%.lex.o) $(B)/examples.o

all: $(PVOPSC)

$(PVOPSC): $(B)/main.o $(B)/libpvopsc.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/libpvopsc.a: $(LIB_OBJS)
	rm -f $@ && ar rcs $@ $^

$(B)/%.o: compiler/%.c | $(GEN_H)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(XCFLAGS) -c -o $@ $<

$(B)/%.tab.c $(B)/%.tab.h: compiler/%.y | $(B)
	bison -Wall -Werror --defines=$(B)/$*.tab.h -o $(B)/$*.tab.c $<

$(B)/%.lex.c $(B)/%.lex.h: compiler/%.l | $(B)
	flex --header-file=$(B)/$*.lex.h -o $(B)/$*.lex.c $<

# flex and bison output: our warnings, minus the ones their skeletons trip.
$(B)/%.tab.o: $(B)/%.tab.c | $(GEN_H)
	$(CC) $(CFLAGS) $(XCFLAGS) -Wno-unused-function -c -o $@ $<
$(B)/%.lex.o: $(B)/%.lex.c | $(GEN_H)
	$(CC) $(CFLAGS) $(XCFLAGS) -Wno-unused-function -Wno-sign-compare -c -o $@ $<

# --explain's examples: the golden error cases that have a mended spec (fixed.yaml), compiled in
# (their list is rewritten only when it changes, so that a removed one rebuilds them too)
EXAMPLES = $(wildcard tests/cases/*/fixed.yaml)
$(B)/examples.list: FORCE | $(B)
	@echo '$(EXAMPLES)' | cmp -s - $@ || echo '$(EXAMPLES)' >$@
$(B)/examples.c: tools/explain-examples $(B)/examples.list $(EXAMPLES) $(EXAMPLES:fixed.yaml=spec.yaml) \
                 $(EXAMPLES:fixed.yaml=stderr) | $(B)
	tools/explain-examples $(EXAMPLES:/fixed.yaml=) >$@.tmp && mv $@.tmp $@
$(B)/examples.o: $(B)/examples.c
	$(CC) $(CFLAGS) $(XCFLAGS) -c -o $@ $<

$(B):
	mkdir -p $@

.PRECIOUS: $(B)/%.tab.c $(B)/%.tab.h $(B)/%.lex.c $(B)/%.lex.h

# The spec's JSON Schema (for editors) is generated too, from the compiler's schema table.
# The second spec, Linux 6.1's x86_64 interface, has its own template set and output root.
LINUX_SPEC = spec/linux-6.1.yaml
LINUX_GEN  = generated/linux-6.1

gen: $(PVOPSC)
	$(PVOPSC) -o generated $(SPEC)
	$(PVOPSC) -o $(LINUX_GEN) $(LINUX_SPEC)
	$(PVOPSC) --json-schema >spec/pvops.schema.json

check-gen: $(PVOPSC)
	$(PVOPSC) --check -o generated $(SPEC)
	$(PVOPSC) --check -o $(LINUX_GEN) $(LINUX_SPEC)
	$(PVOPSC) --json-schema | diff -u spec/pvops.schema.json - && echo "pvopsc: spec/pvops.schema.json is up to date"

# The report fails only on an error (bits 1 and 2); a change (4, 8) is what it is for.
review: $(PVOPSC)
	@git show HEAD:$(SPEC) >$(B)/HEAD-spec.yaml
	@$(PVOPSC) diff $(B)/HEAD-spec.yaml $(SPEC) || [ $$(($$? & 3)) -eq 0 ]

# Installing: the binary, its templates (found from the binary: PREFIX/share/pvopsc) and the
# man page, which tools/man-page makes from the binary's own --help.
PREFIX  ?= /usr/local
BINDIR   = $(PREFIX)/bin
DATADIR  = $(PREFIX)/share/pvopsc
MAN1DIR  = $(PREFIX)/share/man/man1

$(B)/pvopsc.1: $(PVOPSC) tools/man-page
	tools/man-page $(PVOPSC) >$@.tmp && mv $@.tmp $@

man: $(B)/pvopsc.1

install: $(PVOPSC) $(B)/pvopsc.1
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR) $(DESTDIR)$(MAN1DIR)
	install -m 755 $(PVOPSC) $(DESTDIR)$(BINDIR)/pvopsc
	rm -rf $(DESTDIR)$(DATADIR)/templates && cp -R templates $(DESTDIR)$(DATADIR)/templates
	install -m 644 $(B)/pvopsc.1 $(DESTDIR)$(MAN1DIR)/pvopsc.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/pvopsc $(DESTDIR)$(MAN1DIR)/pvopsc.1
	rm -rf $(DESTDIR)$(DATADIR)

# Unit tests: tests/unit/test_X.c (cmocka) links against the compiler library.
UNIT_TESTS = $(patsubst tests/unit/%.c,$(B)/%,$(wildcard tests/unit/test_*.c))
$(B)/test_%: tests/unit/test_%.c $(B)/libpvopsc.a
	$(CC) $(CFLAGS) $(XCFLAGS) -o $@ $< $(B)/libpvopsc.a $(LDLIBS) -lcmocka

units: $(UNIT_TESTS)

# The reference patcher for linked IA-64 images (tests/ia64/patcher.t runs it).
IA64_PATCH = $(B)/ia64-patch
$(IA64_PATCH): runtime/ia64/patch.c runtime/ia64/bundle.c runtime/ia64/bundle.h | $(B)
	$(CC) $(CFLAGS) -std=c11 -D_GNU_SOURCE $(WARN) -o $@ runtime/ia64/patch.c runtime/ia64/bundle.c -lelf

# The x86 runtime: the reference patcher, the user-space backends and hypervisor models, the
# generated tables and bodies, per arch into $(RT_OUT)/ARCH/ against the headers of
# $(RT_HDR)/ARCH/ (runtime/x86/build.sh, for the runtime tests and benchmark, calls it). Two
# kinds of C: kernel code, built as the kernel is (pv sites reach it, or it calls ops as plain
# C calls: i386 needs -mregparm=3 -freg-struct-return; it reaches libc only through host.h),
# and host code with the normal conventions: patch.c, host.c and a program's sources but
# *.k.c. RT_SANITIZE (e.g. address,undefined) instruments host code only: a sanitizer's calls
# would break the kernel's conventions. A program linked with the runtime:
#   make RT_PROG=EXE RT_PROG_ARCH=ARCH RT_PROG_SRCS='SRC...' EXE
RT_HDR  ?= $(CURDIR)/generated
RT_OUT  ?= $(CURDIR)/$(B)/runtime
RT_HOST_SRCS = runtime/x86/patch.c runtime/x86/host.c
RT_SRCS = $(RT_HOST_SRCS) runtime/x86/kernel.c runtime/x86/hypervisor.c runtime/x86/kvm_hv.c \
          $(wildcard backends/native/x86/*.[cS] backends/xen/x86/*.[cS] backends/kvm/x86/*.c)
RT_x86_64_M = -m64 -mno-red-zone
RT_i386_M   = -m32 -march=i686
# pv sites call without realigning the stack: kernel code assumes only a word's alignment
RT_x86_64_KERNEL = -mincoming-stack-boundary=3
RT_i386_KERNEL   = -mincoming-stack-boundary=2 -mregparm=3 -freg-struct-return
# no memset/memcpy calls of gcc's own making in kernel code: libc does not take registers
RT_KERNEL = -fno-tree-loop-distribute-patterns -DRT_KERNEL
RT_HOST   = -D_GNU_SOURCE $(if $(RT_SANITIZE),-fsanitize=$(RT_SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer)
RT_INC    = -Iruntime/x86 -I$(RT_HDR)/$(1) -Ibackends/native/x86 -Ibackends/xen/x86 -Ibackends/kvm/x86 -MMD -MP
rt_is_host = $(filter $(RT_HOST_SRCS) $(filter-out %.k.c,$(RT_PROG_SRCS)),$(1))
# rt_cflags ARCH SRC;  rt_compile ARCH SRC: the command that builds $@ from SRC
rt_cflags  = -O2 -g $(WARN) -fno-pie -fno-strict-aliasing $(RT_$(1)_M) \
             $(if $(call rt_is_host,$(2)),$(RT_HOST),$(RT_$(1)_KERNEL) $(RT_KERNEL)) $(RT_INC)
rt_compile = $(CC) $(if $(filter %.S,$(2)),$(RT_$(1)_M) $(RT_INC),$(call rt_cflags,$(1),$(2))) -c -o $@ $(2)

# rt_arch ARCH: its objects (sources by repo path), their list (objs, with a stamp: the hash
# of the objects) and the flags they were built with (rewritten only when they change)
define rt_arch
RT_OBJS_$(1) = $$(RT_SRCS:%=$(RT_OUT)/$(1)/%.o) $(RT_OUT)/$(1)/paravirt_backends.c.o \
               $(RT_OUT)/$(1)/paravirt_insns.S.o
$(RT_OUT)/$(1)/flags: FORCE
	@mkdir -p $$(@D)
	@echo '$$(call rt_cflags,$(1),runtime/x86/patch.c) | $$(call rt_cflags,$(1),runtime/x86/kernel.c)' | \
		cmp -s - $$@ || echo '$$(call rt_cflags,$(1),runtime/x86/patch.c) | $$(call rt_cflags,$(1),runtime/x86/kernel.c)' >$$@
$(RT_OUT)/$(1)/%.o: % $(RT_OUT)/$(1)/flags
	@mkdir -p $$(@D)
	$$(call rt_compile,$(1),$$<)
# generated code names the kernel types without including them, as a kernel's build has them
$(RT_OUT)/$(1)/paravirt_backends.c.o: $(RT_HDR)/$(1)/paravirt_backends.c $(RT_OUT)/$(1)/flags
	$$(call rt_compile,$(1),$$<) -include kernel.h
$(RT_OUT)/$(1)/paravirt_insns.S.o: $(RT_HDR)/$(1)/paravirt_insns.S $(RT_OUT)/$(1)/flags
	$$(call rt_compile,$(1),$$<)
$(RT_OUT)/$(1)/objs: $$(RT_OBJS_$(1))
	@echo $$^ >$$@
	@cat $$^ | sha256sum >$$(@D)/stamp
	@echo $(RT_HDR) >$$(@D)/hdr
runtime-$(1): $(RT_OUT)/$(1)/objs
.PHONY: runtime-$(1)
endef
$(foreach arch,x86_64 i386,$(eval $(call rt_arch,$(arch))))
runtime: runtime-x86_64 runtime-i386
-include $(shell find $(RT_OUT) -name '*.d' 2>/dev/null)

ifneq ($(RT_PROG),)
RT_PROG_OBJS = $(foreach s,$(RT_PROG_SRCS),$(RT_PROG).$(notdir $(s)).o)
$(foreach s,$(RT_PROG_SRCS),$(eval $(RT_PROG).$(notdir $(s)).o: $(s) $(RT_OUT)/$(RT_PROG_ARCH)/flags ; \
	$$(call rt_compile,$(RT_PROG_ARCH),$$<)))
$(RT_PROG): $(RT_PROG_OBJS) $(RT_OUT)/$(RT_PROG_ARCH)/objs
	$(CC) $(RT_$(RT_PROG_ARCH)_M) $(if $(RT_SANITIZE),-fsanitize=$(RT_SANITIZE)) -no-pie \
		-Wl,-T,runtime/x86/parainstructions.ld -o $@ $(RT_PROG_OBJS) $(RT_OBJS_$(RT_PROG_ARCH))
endif

FORCE:

test: $(PVOPSC) $(UNIT_TESTS) $(IA64_PATCH) boot runtime
	B=$(B) tests/run

# Boot images: the kernel of boot/ (tests/boot runs it under qemu: x86_64 natively and as Xen's
# dom0, i386 PAE natively), built from generated/, the backends and the patcher as a kernel
# builds them (one calling convention throughout: no host side, so no RT_KERNEL); the negative
# image has a save_fl that breaks its convention.
BOOT_SRCS = boot/bench.c boot/console.c boot/host.c boot/main.c boot/native.c boot/probes.c boot/trap.c \
            runtime/x86/patch.c runtime/x86/kernel.c backends/native/x86/native.c \
            backends/xen/x86/xen.c backends/xen/x86/entry.S backends/xen/x86/guest/hypercall.c \
            backends/kvm/x86/kvm.c backends/kvm/x86/kvmclock.c backends/kvm/x86/hypercall.S \
            tests/runtime/x86/canary.c tests/runtime/x86/canary.S
BOOT_x86_64 = boot/xen.c
BOOT_NEGATIVE = boot/negative.c tests/runtime/x86/bad.S
BOOT_FLAGS = -g -ffreestanding -fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables \
             -Iboot -Iruntime/x86 -Ibackends/native/x86 -Ibackends/xen/x86 \
             -Ibackends/xen/x86/guest -Ibackends/kvm/x86 -Itests/runtime/x86 -MMD -MP
BOOT_x86_64_FLAGS = -m64 -mno-red-zone -mgeneral-regs-only -mincoming-stack-boundary=3
BOOT_i386_FLAGS = -m32 -march=i686 -mregparm=3 -freg-struct-return \
                  -mincoming-stack-boundary=2
BOOT_LINK = $(CC) -nostdlib -static -no-pie \
            -Wl,--build-id=none,--no-warn-rwx-segments,-z,max-page-size=4096,-T,boot/boot.ld
BOOT_IMAGES = $(B)/boot/x86_64.elf $(B)/boot/x86_64-negative.elf $(B)/boot/i386.elf

boot: $(BOOT_IMAGES)
.PHONY: boot
-include $(shell find $(B)/boot -name '*.d' 2>/dev/null)

# boot_arch ARCH: the objects of ARCH's images (sources by repo path under $(B)/boot/ARCH/)
define boot_arch
BOOT_OBJS_$(1) = $$(patsubst %,$(B)/boot/$(1)/%.o,$$(BOOT_SRCS) $$(BOOT_$(1)) \
                 $$(wildcard boot/$(1)/*.[cS]) generated/$(1)/paravirt_backends.c generated/$(1)/paravirt_insns.S)
$(B)/boot/$(1)/%.c.o: %.c
	@mkdir -p $$(@D)
	$$(CC) -O2 $$(WARN) -fno-tree-loop-distribute-patterns -include kernel.h $$(BOOT_FLAGS) \
		$$(BOOT_$(1)_FLAGS) -Igenerated/$(1) -c -o $$@ $$<
$(B)/boot/$(1)/%.S.o: %.S
	@mkdir -p $$(@D)
	$$(CC) $$(BOOT_FLAGS) $$(BOOT_$(1)_FLAGS) -Igenerated/$(1) -c -o $$@ $$<
$(B)/boot/$(1).elf: $$(BOOT_OBJS_$(1)) boot/boot.ld
	$$(BOOT_LINK) $$(BOOT_$(1)_FLAGS) -o $$@ $$(filter %.o,$$^)
$(B)/boot/$(1)-negative.elf: $$(BOOT_OBJS_$(1)) $$(BOOT_NEGATIVE:%=$(B)/boot/$(1)/%.o) boot/boot.ld
	$$(BOOT_LINK) $$(BOOT_$(1)_FLAGS) -o $$@ $$(filter %.o,$$^)
endef
$(foreach arch,x86_64 i386,$(eval $(call boot_arch,$(arch))))

# README's key reference and check list come from the compiler itself.
docs: $(PVOPSC)
	tools/readme-sections $(PVOPSC) README.md >README.md.tmp && mv README.md.tmp README.md

bench: $(PVOPSC) boot
	B=$(B) tests/bench/run

fuzz:
	B=$(B) tests/fuzz/run

deps:
	tools/deps

clean:
	rm -rf $(B)

.PHONY: all gen check-gen review man install uninstall units runtime test docs bench fuzz deps clean FORCE
-include $(wildcard $(B)/*.d $(FAMILIES:%=$(B)/%/*.d))
