/* fuzz_spec.c: libFuzzer target: any bytes as a spec, through loading, validation, the typed
 * spec and every named check. Nothing may crash, leak or trip a sanitizer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diag.h"
#include "spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xmalloc(size + 1);
	struct spec *s;
	FILE *sink = fopen("/dev/null", "w");

	memcpy(text, data, size);
	text[size] = '\0';
	s = spec_parse("fuzz.yaml", text, size);
	if (s)
		check_spec(s);
	diag_flush(sink); /* prints every message: exercises positions and carets */
	spec_free(s);
	diag_reset();
	fclose(sink);
	return 0;
}
