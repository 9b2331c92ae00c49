/* diff.h: `pvopsc diff OLD NEW`, the binary-interface report of a spec change. */
#ifndef PVOPSC_DIFF_H
#define PVOPSC_DIFF_H

/* argv[0] is "diff"; returns the exit status (bits: 1 error, 2 usage, 4 ABI change,
 * 8 incompatible change). */
int diff_main(int argc, char **argv);

#endif
