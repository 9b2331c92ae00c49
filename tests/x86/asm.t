#!/usr/bin/env bash
# The compiler's x86 assembler (compiler/x86/asm.c) encodes what gas encodes: every sequence of
# asm_corpus, and a branch that must grow to rel32, give gas's bytes and relocation offsets;
# and it refuses what it does not know, with a diagnostic, never a guess.
set -u
. "$ROOT/tests/core/lib.sh"
tmpdir
cc -std=c11 -D_GNU_SOURCE -I"$ROOT/compiler" -I"$ROOT/$B" -o "$TMP/drv" "$ROOT/tests/x86/asmdrv.c" \
	"$ROOT/$B/libpvopsc.a" -lyaml -lZydis || { notok "asm: build the driver"; exit 1; }

grep -v '^#' "$ROOT/tests/x86/asm_corpus" >"$TMP/corpus"
# a forward branch over 130 bytes needs the rel32 form, one over 127 the rel8 form
printf '64 jz 1f;%s 1: ret\n' "$(printf ' nop;%.0s' $(seq 130))" >>"$TMP/corpus"
printf '32 jnz 1f;%s 1: ret\n' "$(printf ' nop;%.0s' $(seq 127))" >>"$TMP/corpus"

# gas: one section per sequence; objdump's disassembly gives the bytes and relocation offsets
for bits in 32 64; do
	awk -v b=$bits '$1 == b { sub(/^[0-9]+ /, ""); printf ".section .t%d,\"ax\"\n%s\n", NR, $0 }' \
		"$TMP/corpus" >"$TMP/g$bits.s"
	as --$bits -o "$TMP/g$bits.o" "$TMP/g$bits.s" 2>"$TMP/g$bits.err" ||
		{ notok "asm: gas refuses the $bits-bit corpus"; sed 's/^/    /' "$TMP/g$bits.err"; }
	objdump -dr -z "$TMP/g$bits.o" | awk '
		function num(h,  v, i) { v = 0; for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1; return v }
		/^Disassembly of section \.t/ { if (n) flush(); s = substr($4, 3) + 0; sub(/:$/, "", s); n = 1; hex = ""; rel = ""; next }
		/^ +[0-9a-f]+:\t/ { split($0, f, "\t"); gsub(/ /, "", f[2]); hex = hex f[2]; next }
		/^\t+[0-9a-f]+: R_/ { o = $1; sub(/:$/, "", o); rel = rel " R" num(o); zero[s, num(o)] = 1; next }
		function flush() { out[s] = hex; rels[s] = rel }
		END { if (n) flush(); for (k in out) { h = out[k]; r = "";
			for (i = 0; i < length(h) / 2; i++) r = r (((k, i) in zero || (k, i - 1) in zero || (k, i - 2) in zero || (k, i - 3) in zero) ? "00" : substr(h, 2 * i + 1, 2));
			print k, r rels[k] } }' >"$TMP/g$bits.out"
done
cat "$TMP/g32.out" "$TMP/g64.out" | sort -n >"$TMP/gas"
"$TMP/drv" <"$TMP/corpus" 2>"$TMP/drv.err" | awk '{ print NR, $0 }' >"$TMP/ours"

n=0 bad=0
while read -r num want; do
	got=$(awk -v k="$num" '$1 == k { $1 = ""; sub(/^ /, ""); print }' "$TMP/ours")
	n=$((n + 1))
	if [ "$got" != "$want" ]; then
		bad=$((bad + 1))
		notok "asm: line $num: $(sed -n "${num}p" "$TMP/corpus" | cut -c1-90)"
		echo "    gas:  $want"
		echo "    ours: $got"
	fi
done <"$TMP/gas"
[ "$n" -eq "$(wc -l <"$TMP/corpus")" ] && [ $bad -eq 0 ] && ok "asm: $n sequences encode as gas encodes them"
[ "$n" -eq "$(wc -l <"$TMP/corpus")" ] || notok "asm: gas gave $n of $(wc -l <"$TMP/corpus") sequences"

# refusals: each line must fail with a diagnostic at the offending character
while IFS='|' read -r bits text col why; do
	out=$(printf '%s %s\n' "$bits" "$text" | "$TMP/drv" 2>&1)
	if printf '%s' "$out" | grep -q "^stdin:1:1: error: .*$why" && printf '%s' "$out" | grep -q '^error$'; then
		ok "asm: refuses '$text' ($why)"
	else
		notok "asm: '$text' should fail with '$why'"; printf '%s\n' "$out" | sed 's/^/    /'
	fi
done <<'BAD'
64|sysexit||not an instruction
64|frobnicate %eax||not an instruction
32|mov %rax, %rbx||unknown register
32|mov %r8d, %eax||unknown register
64|mov $1, (%rax)||ambiguous
64|mov %eax, %rbx||size mismatch
64|mov %ah, %sil||REX prefix
64|movb $0, 8(%rip)||names a symbol
64|jz 1f||no label 1f
64|1: 1: jmp 2b||no label 2b
64|a: a: nop||defined twice
64|mov $0x123456789, %eax||does not fit
64|addq $0x80000000, %rax||does not fit
64|mov (%rax,%rsp), %eax||stack pointer
64|mov (%rax, %rbx, 3), %eax||scale
64|push %eax||64-bit registers
64|mov sym+other, %eax||one symbol
64|movb $sym, %al||32-bit field
64|mov %cr5, %rax||unknown register
64|mov %cr0, %eax||control register
64|call (%rax)||indirect target
64|jz *%rax||indirect target
64|lea %rax, %rbx||lea takes
64|shl $300, %eax||count
64|mov $1 %eax||unexpected
64|mov (%rax, %eax||unbalanced
64|mov %eax,||after ','
64|nop %eax||takes 0 operands
BAD
exit 0
