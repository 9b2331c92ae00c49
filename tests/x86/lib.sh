# Shared by the x86 tests: which spec they test, generation with the tests' own templates
# (tests/x86/templates, rendered with the project's), the kernel-like compiler flags.
# shellcheck shell=bash
. "$ROOT/tests/core/lib.sh"

# The shipped spec (X86_SPEC may name another).
X86_SPEC=${X86_SPEC:-$ROOT/spec/pvops.yaml}
X86_ARCHES="x86_64 i386"

# As the kernel builds: no red zone under a call from inline asm (x86_64); absolute slot
# addresses, arguments and small structs in registers (i386). -fno-ipa-icf keeps every t_<op>
# a function of its own.
cflags() {
	case $1 in
	x86_64) echo "-m64 -O2 -Wall -Wextra -Werror -mno-red-zone -fno-ipa-icf" ;;
	*) echo "-m32 -O2 -Wall -Wextra -Werror -fno-pie -mregparm=3 -freg-struct-return -fno-ipa-icf" ;;
	esac
}
mflag() { [ "$1" = x86_64 ] && echo -m64 || echo -m32; }
bits() { [ "$1" = x86_64 ] && echo 64 || echo 32; }

# gen_x86 SPEC OUT: generate SPEC's files, and the tests' ones, under OUT/<arch>/.
gen_x86() {
	local tpl=$TMP/tpl
	mkdir -p "$tpl/x86"
	ln -sf "$ROOT"/templates/x86/*.tmpl "$ROOT"/tests/x86/templates/*.tmpl "$tpl/x86/"
	"$PVOPSC" -q -t "$tpl" -o "$2" "$1"
}

# elfsites: build the record reader once per run
elfsites() {
	[ -x "$TMP/elfsites" ] || cc -O1 -o "$TMP/elfsites" "$ROOT/tests/x86/elfsites.c" || return 1
	"$TMP/elfsites" "$@"
}
