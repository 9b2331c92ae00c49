#!/usr/bin/env bash
# The patch type numbers are Linux 2.6.30's. tests/x86/linux/patch-types-ARCH lists, per arch,
# every op of Linux's struct paravirt_patch_template with the number PARAVIRT_PATCH() gives it
# there, counted by hand from Linux's header (not from the spec). A program built against the
# generated paravirt_types.h prints, for each listed op, its PARAVIRT_PATCH_ constant and its
# slot index in the generated template (Linux's own definition); both must equal the list,
# and the generated header must have no op the list lacks.
set -u
. "$ROOT/tests/x86/lib.sh"
tmpdir
for arch in $X86_ARCHES; do
	list=$ROOT/tests/x86/linux/patch-types-$arch
	d=$ROOT/generated/$arch
	n=$(grep -vc '^#' "$list")
	{
		printf '#include <stdio.h>\n#include <stddef.h>\n#include "prelude.h"\n#include "paravirt_types.h"\n'
		printf 'int main(void)\n{\n'
		grep -v '^#' "$list" | while read -r num op; do
			printf '\tprintf("%%u %%u %s\\n", (unsigned)PARAVIRT_PATCH_%s, (unsigned)(offsetof(struct paravirt_patch_template, %s) / sizeof(void *)));\n' \
				"$op" "$(echo "$op" | tr . _)" "$op"
		done
		printf '\tprintf("count %%u\\n", (unsigned)PARAVIRT_PATCH_COUNT);\n\treturn 0;\n}\n'
	} >"$TMP/$arch.c"
	# shellcheck disable=SC2046
	if ! cc $(mflag $arch) -w -I"$ROOT/tests/x86" -I"$ROOT/runtime" -I"$d" -o "$TMP/$arch" "$TMP/$arch.c" 2>"$TMP/err"; then
		notok "linux-types: $arch: the listed ops exist in the generated header"
		grep -m5 error "$TMP/err"
		continue
	fi
	ok "linux-types: $arch: every op of Linux 2.6.30's template ($n) exists in the generated header"
	"$TMP/$arch" >"$TMP/$arch.out"
	bad=$(grep -v '^#' "$list" | paste -d' ' - <(grep -v '^count' "$TMP/$arch.out") |
		awk '$1 != $3 || $1 != $4 { print $2 ": Linux " $1 ", PARAVIRT_PATCH_ " $3 ", slot " $4 }')
	[ -z "$bad" ] && ok "linux-types: $arch: every patch type number and slot is Linux's (iret $(awk '$2 == "pv_cpu_ops.iret" { print $1 }' "$list"))" ||
		{ notok "linux-types: $arch: patch types differ from Linux 2.6.30"; echo "$bad" | head -5; }
	count=$(sed -n 's/^count //p' "$TMP/$arch.out")
	[ "$count" = "$n" ] && ok "linux-types: $arch: no op beyond Linux's ($count)" ||
		notok "linux-types: $arch: $count patch types generated, Linux has $n"
	# Linux's native pv_apic_ops start the local APIC timer; they are no NOPs
	for m in setup_boot_clock:setup_boot_APIC_clock setup_secondary_clock:setup_secondary_APIC_clock; do
		awk '/^const struct pv_apic_ops native_pv_apic_ops/,/^};/' "$d/paravirt_backends.c" |
			grep -q "^	\.${m%%:*} = ${m#*:},\$" &&
			ok "linux-types: $arch: native pv_apic_ops.${m%%:*} is Linux's ${m#*:}" ||
			notok "linux-types: $arch: native pv_apic_ops.${m%%:*} should be ${m#*:}"
	done
done
exit 0
