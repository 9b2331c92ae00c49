# pvopsc in a kernel tree (include from arch/x86/Makefile or a Kbuild file): the spec lives in
# the source tree, the generated headers in the object tree, and they are rebuilt when the
# spec or a template changes (-d writes the dependency file, as gcc -MD does).
# PVOPSC may add -t DIR (default: the installed templates).
PVOPSC     ?= pvopsc
PVOPS_SPEC := $(srctree)/arch/x86/pvops/pvops.yaml
PVOPS_OUT  := $(objtree)/arch/x86/include/generated/pvops
PVOPS_H    := $(PVOPS_OUT)/x86_64/paravirt.h

$(PVOPS_H): $(PVOPS_SPEC)
	$(PVOPSC) -q -o $(PVOPS_OUT) -d $(PVOPS_OUT)/.pvops.d $<
	@touch $@

-include $(PVOPS_OUT)/.pvops.d
