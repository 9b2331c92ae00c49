/* The generated x86 interface (from the header directory the build names with -I), after the
 * kernel types it is written against. paravirt_backends.h declares the implementations as the
 * generated tables name them, so every backend file that includes this has its definitions
 * checked against those declarations. */
#ifndef RT_X86_PV_H
#define RT_X86_PV_H

#include "kernel.h"
#include "paravirt.h"
#include "paravirt_backends.h"
#include "paravirt_patch.h"

#endif
