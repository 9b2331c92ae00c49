/* ia64.c: placeholder until the ia64 family lands; it only publishes the common model. */
#include "family.h"
#include "model.h"

static const struct check ia64_checks[] = {{NULL, NULL, NULL}};

static struct tval *ia64_model(const struct spec *s, const struct spec_arch *a)
{
	return model_common(s, a, NULL, NULL);
}

const struct family ia64_family = {"ia64", ia64_checks, ia64_model};
