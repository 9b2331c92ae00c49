#!/usr/bin/env bash
# The generated x86 files compile as a kernel would build them, for x86_64 (-m64) and i386
# (-m32), with -O2 -Wall -Wextra -Werror: a C file calling every wrapper, every backend's
# initializers, the out-of-line bodies (.S) and a .S file using every asm macro. The guards
# the files carry work: an i386 PIC build stops with the generated #error, a site whose
# length differs from the compiler's stops the assembler, and an implementation defined
# against paravirt_backends.h with another signature than the tables' stops the compiler.
set -u
. "$ROOT/tests/x86/lib.sh"
tmpdir
gen_x86 "$X86_SPEC" "$TMP/gen" 2>"$TMP/gen.err" || { notok "compile: generate from $X86_SPEC"; cat "$TMP/gen.err"; exit 1; }

for arch in $X86_ARCHES; do
	d=$TMP/gen/$arch
	n=$(ls "$d" | grep -c '^paravirt')
	[ "$n" -eq 7 ] && ok "compile: $arch: 7 generated files" || notok "compile: $arch: $n generated files, expected 7"
	inc="-I$ROOT/tests/x86 -I$ROOT/runtime -I$d"
	# shellcheck disable=SC2046
	if cc $(cflags $arch) $inc -c "$d/calls.c" -o "$d/calls.o" 2>"$TMP/err"; then
		ok "compile: $arch: a call of every wrapper ($(grep -c '^static inline' "$d/paravirt.h") wrappers)"
	else
		notok "compile: $arch: calls.c"; head -20 "$TMP/err"
	fi
	if cc $(cflags $arch) $inc -include prelude.h -c "$d/paravirt_backends.c" -o "$d/backends.o" 2>"$TMP/err"; then
		ok "compile: $arch: every backend's initializers ($(grep -c '^const struct paravirt_backend' "$d/paravirt_backends.c") backends)"
	else
		notok "compile: $arch: paravirt_backends.c"; head -20 "$TMP/err"
	fi
	cc $(mflag $arch) -c "$d/paravirt_insns.S" -o "$d/insns.o" 2>"$TMP/err" &&
		ok "compile: $arch: out-of-line bodies" || { notok "compile: $arch: paravirt_insns.S"; head -20 "$TMP/err"; }
	cc $(mflag $arch) -I"$d" -c "$d/macros.S" -o "$d/macros.o" 2>"$TMP/err" &&
		ok "compile: $arch: every asm macro ($(grep -c '^m_' "$d/macros.S") uses)" ||
		{ notok "compile: $arch: macros.S"; head -20 "$TMP/err"; }
	# an explicit entry for every op: no table entry is NULL but an optional op's
	nulls=$(awk '/^(const )?struct pv_[a-z_]+ [a-z_]+ = \{/ { t = $0; next } /^\};/ { t = "" }
		t && /^	\.[a-zA-Z_.]+ = NULL,/ && !/optional/ { print t " " $0 }' "$d/paravirt_backends.c")
	tables=$(grep -c '^\(const \)\?struct pv_[a-z_]* [a-z_]* = {' "$d/paravirt_backends.c")
	[ -z "$nulls" ] && ok "compile: $arch: no entry of $tables tables is NULL unless its op is optional" ||
		{ notok "compile: $arch: NULL entries"; echo "$nulls" | head -3; }
done

# native_iret has Linux's exception-table entry: a fault in it continues at the entry code's fixup
for arch in $X86_ARCHES; do
	fix=bad_iret && [ $arch = i386 ] && fix=iret_exc
	rel=$(readelf -rW "$TMP/gen/$arch/insns.o" | awk '/__ex_table/ { t = 1; next } /^Relocation section/ { t = 0 } t && NF >= 5 && $1 ~ /^[0-9a-f]+$/ { print $5 }' | tr '\n' ' ')
	[ "$rel" = "native_iret $fix " ] || [ "$rel" = ".text $fix " ] &&
		ok "compile: $arch: __ex_table holds native_iret's fixup ($fix)" ||
		notok "compile: $arch: __ex_table of paravirt_insns.S should be native_iret, $fix; it is '$rel'"
done

# a static function only a callee-save thunk calls is kept (the thunk's reference from C), at -O2
for arch in $X86_ARCHES; do
	d=$TMP/gen/$arch
	printf '#include "paravirt.h"\nstatic unsigned long only_thunked(void) { return 0x200; }\nPV_CALLEE_SAVE_REGS_THUNK(only_thunked);\n' \
		>"$TMP/thunk.c"
	# shellcheck disable=SC2046
	if cc $(cflags $arch) -I"$ROOT/tests/x86" -I"$ROOT/runtime" -I"$d" -include prelude.h -c "$TMP/thunk.c" -o "$TMP/thunk.o" 2>"$TMP/err" &&
		nm "$TMP/thunk.o" | grep -q ' t only_thunked$' && ! nm "$TMP/thunk.o" | grep -q ' U only_thunked$'; then
		ok "compile: $arch: a static function reached only through its callee-save thunk stays defined"
	else
		notok "compile: $arch: the thunk's static target was dropped"; head -5 "$TMP/err"; nm "$TMP/thunk.o" 2>/dev/null | head -5
	fi
done

# guards
d=$TMP/gen/i386
cc -m32 -O2 -fpie -I"$ROOT/tests/x86" -I"$ROOT/runtime" -I"$d" -c "$d/calls.c" -o /dev/null 2>"$TMP/err"
grep -q 'build i386 code with -fno-pie' "$TMP/err" && ok "compile: an i386 PIC build stops at the generated #error" ||
	notok "compile: an i386 PIC build should stop with the -fno-pie #error"
d=$TMP/gen/x86_64
sed -E '0,/^#define __PV_OP_([a-z0-9_]+)\(m\) m\(([^,]+), ([A-Za-z0-9_]+), ([0-9]+),/s//#define __PV_OP_\1(m) m(\2, \3, 99,/' \
	"$d/paravirt.h" >"$TMP/bad.h"
mkdir -p "$TMP/bad" && cp "$d"/*.h "$d/calls.c" "$TMP/bad/" && cp "$TMP/bad.h" "$TMP/bad/paravirt.h"
cc $(cflags x86_64) -I"$ROOT/tests/x86" -I"$ROOT/runtime" -I"$TMP/bad" -c "$TMP/bad/calls.c" -o /dev/null 2>"$TMP/err"
grep -q 'pvopsc: a patch site is not as long as generated' "$TMP/err" &&
	ok "compile: the assembler refuses a site whose length is not the compiler's" ||
	{ notok "compile: a wrong site length should stop the assembler"; head -5 "$TMP/err"; }
# an implementation whose definition disagrees with the declaration the tables use
sym=$(sed -n 's/^[^(]*[ *]\([A-Za-z_][A-Za-z_0-9]*\)(.*);$/\1/p' "$d/paravirt_backends.h" | head -n 1)
printf '#include "paravirt_backends.h"\nstruct pv_wrong { int x; };\nstruct pv_wrong %s(struct pv_wrong w) { return w; }\n' \
	"$sym" >"$TMP/wrong.c"
cc $(cflags x86_64) -I"$ROOT/tests/x86" -I"$ROOT/runtime" -I"$d" -include prelude.h -c "$TMP/wrong.c" -o /dev/null 2>"$TMP/err"
[ -n "$sym" ] && grep -q "conflicting types for .*$sym" "$TMP/err" &&
	ok "compile: a definition of $sym unlike its paravirt_backends.h declaration stops the compiler" ||
	{ notok "compile: a wrong definition of '$sym' should conflict with paravirt_backends.h"; head -5 "$TMP/err"; }
exit 0
