# Building the x86 runtime (the patcher, the user-space backends, the generated tables and
# bodies) for one arch against a directory of generated headers, through the Makefile (its
# runtime section holds the sources and the flags of each kind of code). Sourced by the
# runtime tests, the runtime benchmark and the fuzzers; needs ROOT.
#
#   rt_headers             print the header root: $PV_GEN if set, else generated/
#   rt_build ARCH HDR OUT  build the runtime objects into OUT/ARCH/ (OUT/ARCH/objs lists them,
#                          OUT/ARCH/stamp changes when they do); prints nothing, fails with
#                          the compiler's messages
#   rt_link ARCH OUT EXE SRC...  compile the program's SRCs (kernel-built if named *.k.c, as
#                          assembler if *.S) and link them with the runtime into EXE
# shellcheck shell=bash

RT_DIR=$ROOT/runtime/x86

rt_headers() {
	if [ -n "${PV_GEN:-}" ]; then
		echo "$PV_GEN"
	else
		echo "$ROOT/generated"
	fi
}

rt_mflag() { [ "$1" = x86_64 ] && echo -m64 || echo -m32; }

# A make of its own (not the jobserver of a make that runs the tests); RT_SANITIZE passes on.
rt_make() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory -C "$ROOT" -j2 \
		RT_SANITIZE="${RT_SANITIZE:-}" "$@"
}

rt_build() {
	rt_make RT_HDR="$2" RT_OUT="$3" "$3/$1/objs"
}

rt_link() {
	local arch=$1 out=$2 exe=$3
	shift 3
	rt_make RT_HDR="$(cat "$out/$arch/hdr")" RT_OUT="$out" RT_PROG="$exe" RT_PROG_ARCH="$arch" RT_PROG_SRCS="$*" "$exe"
}
