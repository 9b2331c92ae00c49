/* fuzz_spec.c: libFuzzer target: any bytes as a spec, through loading, validation, the typed
 * spec, every named check and, for a spec without errors, every arch's model. Nothing may
 * crash, leak or trip a sanitizer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diag.h"
#include "family.h"
#include "spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xmalloc(size + 1);
	struct spec *s;
	FILE *sink = fopen("/dev/null", "w");

	memcpy(text, data, size);
	text[size] = '\0';
	s = spec_parse("fuzz.yaml", text, size);
	if (s) {
		struct analysis an;
		family_analyze(s, &an);
		if (check_spec(s, &an) && diag_error_count() == 0)
			for (size_t i = 0; i < an.n; i++)
				tv_free(an.v[i].f->model(s, an.v[i].a, an.v[i].view));
		family_analysis_free(&an);
	}
	diag_flush(sink); /* prints every message: exercises positions and carets */
	spec_free(s);
	diag_reset();
	fclose(sink);
	return 0;
}
