/* family.c: the registry of arch families. */
#include "family.h"

#include <string.h>

const struct family *const families[] = {&x86_family, &ia64_family, NULL};

const struct family *family_find(const char *name)
{
	for (const struct family *const *f = families; *f; f++)
		if (strcmp((*f)->name, name) == 0)
			return *f;
	return NULL;
}
