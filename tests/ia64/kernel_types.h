/* kernel_types.h: the kernel types the generated tables' signatures use, for host compiles. */
typedef unsigned int u32;
typedef unsigned char ia64_vector;
