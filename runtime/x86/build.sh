# Building the x86 runtime (the patcher, the user-space backends, the generated tables and
# bodies) for one arch against a directory of generated headers, without make. Sourced by the
# runtime tests and the runtime benchmark; needs ROOT.
#
#   rt_headers             print the header root: $PV_GEN if set, else generated/
#   rt_build ARCH HDR OUT  build the runtime objects into OUT/ARCH/ (cached by content);
#                          prints nothing, fails with the compiler's messages
#   rt_link ARCH OUT EXE SRC...  compile the program's SRCs (kernel-built if named *.k.c, as
#                          assembler if *.S) and link them with the runtime into EXE
#
# Two kinds of C: "kernel" code, built as the kernel is (its functions are reached from pv
# sites, or call ops that are plain C calls: i386 needs -mregparm=3 -freg-struct-return),
# which must not call libc but through host.h, and "host" code with the normal conventions.
# shellcheck shell=bash

RT_DIR=$ROOT/runtime/x86

rt_headers() {
	if [ -n "${PV_GEN:-}" ]; then
		echo "$PV_GEN"
	else
		echo "$ROOT/generated"
	fi
}

# rt_cflags ARCH KIND (host | kernel)
rt_cflags() {
	local f="-O2 -g -Wall -Wextra -Werror -fno-pie -fno-strict-aliasing"
	case $1 in
	x86_64) f="$f -m64 -mno-red-zone" ;;
	i386) f="$f -m32 -march=i686" ;;
	*) echo "rt_cflags: unknown arch $1" >&2; return 1 ;;
	esac
	if [ "$2" = kernel ]; then
		# pv sites call without realigning the stack: assume only a word's alignment
		case $1 in
		x86_64) f="$f -mincoming-stack-boundary=3" ;;
		i386) f="$f -mincoming-stack-boundary=2 -mregparm=3 -freg-struct-return" ;;
		esac
		# no calls to memset/memcpy of gcc's own making: libc does not take registers
		f="$f -fno-tree-loop-distribute-patterns -DRT_KERNEL"
	else
		f="$f -D_GNU_SOURCE"	# before anything is included: -include comes first
		# RT_SANITIZE (e.g. address,undefined): host code only; kernel code keeps the kernel's
		# conventions, which a sanitizer's runtime calls would break
		[ -n "${RT_SANITIZE:-}" ] && f="$f -fsanitize=$RT_SANITIZE -fno-sanitize-recover=all -fno-omit-frame-pointer"
	fi
	echo "$f"
}

rt_mflag() { [ "$1" = x86_64 ] && echo -m64 || echo -m32; }

# rt_cc ARCH HDR SRC OBJ: compile one source by its kind
rt_cc() {
	local arch=$1 hdr=$2 src=$3 obj=$4 kind=host pre=""
	local inc="-I$RT_DIR -I$hdr/$arch -I$ROOT/backends/native/x86 -I$ROOT/backends/xen/x86 -I$ROOT/backends/kvm/x86"
	case $src in
	*.S) gcc $(rt_mflag "$arch") $inc -c "$src" -o "$obj"; return ;;
	# generated code names the kernel types without including them, as a kernel's build has them
	*/paravirt_backends.c) kind=kernel pre="-include kernel.h" ;;
	*.k.c | "$ROOT"/backends/*.c | "$RT_DIR"/kernel.c | "$RT_DIR"/hypervisor.c | "$RT_DIR"/kvm_hv.c) kind=kernel ;;
	esac
	# shellcheck disable=SC2046,SC2086
	gcc $(rt_cflags "$arch" $kind) $inc $pre -c "$src" -o "$obj"
}

# The runtime's sources for an arch and header root, kernel-built ones marked by path.
# KVM's vmcall and wrmsr (backends/kvm/x86/hypercall.S) are the model's, kvm_hv.c, here.
rt_sources() {
	echo "$RT_DIR/patch.c" "$RT_DIR/host.c" "$RT_DIR/kernel.c" "$RT_DIR/hypervisor.c" "$RT_DIR/kvm_hv.c"
	echo "$ROOT"/backends/native/x86/*.[cS] "$ROOT"/backends/xen/x86/*.[cS] "$ROOT"/backends/kvm/x86/*.c
	echo "$2/$1/paravirt_backends.c" "$2/$1/paravirt_insns.S"
}

rt_build() {
	local arch=$1 hdr=$2 dir=$3/$1 src stamp objs=""
	mkdir -p "$dir"
	echo "$hdr" >"$dir/hdr"
	stamp=$( (echo "${RT_SANITIZE:-}"; cat $(rt_sources "$arch" "$hdr") "$RT_DIR"/*.h "$ROOT"/runtime/kernel_types.h "$RT_DIR"/build.sh "$hdr/$arch"/*.h \
		"$ROOT"/backends/native/x86/*.h "$ROOT"/backends/xen/x86/*.h "$ROOT"/backends/kvm/x86/*.h 2>/dev/null) | sha256sum)
	[ -f "$dir/stamp" ] && [ "$(cat "$dir/stamp")" = "$stamp" ] && return 0
	rm -f "$dir/stamp" "$dir"/*.o
	for src in $(rt_sources "$arch" "$hdr"); do
		rt_cc "$arch" "$hdr" "$src" "$dir/$(basename "$src").o" || return 1
		objs="$objs $dir/$(basename "$src").o"
	done
	echo "$objs" >"$dir/objs"
	echo "$stamp" >"$dir/stamp"
}

rt_link() {
	local arch=$1 dir=$2/$1 exe=$3 src objs="" hdr
	shift 3
	hdr=$(cat "$dir/hdr")
	for src in "$@"; do
		rt_cc "$arch" "$hdr" "$src" "$exe.$(basename "$src").o" || return 1
		objs="$objs $exe.$(basename "$src").o"
	done
	# shellcheck disable=SC2046
	gcc $(rt_mflag "$arch") ${RT_SANITIZE:+-fsanitize=$RT_SANITIZE} -no-pie -Wl,-T,"$RT_DIR/parainstructions.ld" \
		-o "$exe" $objs $(cat "$dir/objs")
}
