/* prelude.h: what the generated x86 headers expect of a kernel, in a host compile: its types
 * (runtime/kernel_types.h, the one prelude of types) and the per-cpu data of a one-cpu kernel. */
#ifndef PRELUDE_H
#define PRELUDE_H
#include "kernel_types.h"
#define DEFINE_PER_CPU(type, name) __typeof__(type) name
#define DECLARE_PER_CPU(type, name) extern __typeof__(type) name
#define percpu_read(var) (var)
#define percpu_write(var, val) ((var) = (val))
#endif
