#!/usr/bin/env bash
# The compiler's model of the assembler's bundling, against ia64-linux-gnu-as itself: random
# sequences of every unit type, bundling flag, stop and label placement must come out with
# the same bundles (templates, stops and count) in both.
. "$(dirname "$0")/lib.sh"
have_toolchain || { nok bundler-toolchain "ia64-linux-gnu-as not installed (make deps)"; exit 0; }
helper bundles || { nok bundler-helper "cannot build tests/ia64/bundles.c"; exit 0; }

"$T/bundles" --random 400 7 >"$T/seqs"
awk 'BEGIN { k = 0; print "\t.text"; printf "S%d:\n", k }
     /^@@/ { print ";;"; k++; printf "S%d:\n", k; next }
     { print }' "$T/seqs" >"$T/seqs.s"
echo "nop 0" >>"$T/seqs.s" # the last label needs an instruction to land on
if ! "$AS" -xexplicit -o "$T/seqs.o" "$T/seqs.s" 2>"$T/as.err"; then
	nok bundler-assembles "$(head -3 "$T/as.err" | tr '\n' ' ')"
	exit 0
fi
bundle_sigs "$T/seqs.o" '^S[0-9]+$' '^S[0-9]+$' | sort -t' ' -k1,1 >"$T/as.sig"
"$T/bundles" <"$T/seqs" | awk '{ printf "S%d %s\n", NR - 1, $0 }' | sort -t' ' -k1,1 >"$T/model.sig"
# the trailing S<n> holds only the padding nop: drop it from the assembler's list
last=$(grep -c '^@@' "$T/seqs")
grep -v "^S$last " "$T/as.sig" >"$T/as.sig2"
if diff "$T/model.sig" "$T/as.sig2" >"$T/diff"; then
	ok "bundler-matches-assembler ($(wc -l <"$T/model.sig") sequences)"
else
	nok bundler-matches-assembler "$(grep -c '^<' "$T/diff") of $(wc -l <"$T/model.sig") differ; first: $(grep -m2 '^[<>]' "$T/diff" | tr '\n' ' ')"
fi
