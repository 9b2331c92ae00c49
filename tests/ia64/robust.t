#!/usr/bin/env bash
# The IA-64 reader never crashes or hangs: token soup made of the pieces of real bodies
# (mnemonics, registers, brackets, stops, labels, predicates, directives, comments) and raw
# bytes go through the parser and the bundler; every piece of garbage is an error message.
. "$(dirname "$0")/lib.sh"
helper bundles || { nok robust-helper "cannot build tests/ia64/bundles.c"; exit 0; }

awk -v seed=17 'BEGIN {
	srand(seed)
	n = split("mov r8 = r9 , [ ] (p6) ( ) ;; ; ld8 st8.rel br.cond.sptk.many b6 b9 1: 1b " \
		"cr.ifa cr.bogus ar.k9 ar.ccv rr[ cpuid[r9] cmp.eq.unc p6 p0 p64 movl 0x12 {reg} alloc " \
		"r40 in0 r128 itc.i bsw.0 break hint // /* */ [1:] psr.i psr.l .mem.offset " \
		".serialize.data .align mov.m mov.i - + \" x: : :: \\\\ (r8)", tok, " ")
	for (k = 0; k < 500; k++) {
		m = 1 + int(rand() * 40)
		line = ""
		for (i = 0; i < m; i++)
			line = line tok[1 + int(rand() * n)] (rand() < 0.2 ? "\n" : " ")
		print line
		print "@@"
	}
}' >"$T/soup"
head -c 200000 /dev/urandom | tr '\0' ' ' | fold -w 300 | sed 's/^@@/xx/' >>"$T/soup"
if timeout 60 "$T/bundles" <"$T/soup" >"$T/soup.out" 2>"$T/soup.err"; then
	ok "robust-parser-and-bundler ($(grep -c '^error' "$T/soup.out") errors reported, no crash)"
else
	nok robust-parser-and-bundler "exit $?: $(head -3 "$T/soup.err" | tr '\n' ' ')"
fi
