/* fuzz_render.c: libFuzzer target: any bytes as a spec, through every stage a run takes:
 * loading, validation, the named checks, every arch's model, the project's templates and the
 * output stage, which compares against a folder that does not exist and writes its diff into
 * memory. Nothing may crash, leak, hang or trip a sanitizer. Run from the top of the tree. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diag.h"
#include "family.h"
#include "out.h"
#include "render.h"
#include "spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xmalloc(size + 1), *diff = NULL;
	size_t difflen = 0;
	struct spec *s;
	struct outset out = {0};
	FILE *sink = fopen("/dev/null", "w"), *mem = open_memstream(&diff, &difflen);

	memcpy(text, data, size);
	text[size] = '\0';
	s = spec_parse("fuzz.yaml", text, size);
	if (s) {
		struct analysis an;
		family_analyze(s, &an);
		if (check_spec(s, &an) && diag_error_count() == 0) {
			struct renderer *r = render_open(s, "fuzz.yaml", "templates");
			for (size_t i = 0; i < an.n; i++) {
				struct tval *model = an.v[i].f->model(s, an.v[i].a, an.v[i].view);
				render_arch(r, an.v[i].f, an.v[i].a, model, &out);
				tv_free(model);
			}
			render_close(r);
			if (diag_error_count() == 0)
				out_check(&out, "build-fuzz/no-such-folder", mem);
		}
		family_analysis_free(&an);
	}
	diag_flush(sink);
	out_free(&out);
	spec_free(s);
	diag_reset();
	fclose(mem);
	free(diff);
	fclose(sink);
	return 0;
}
