/* fuzz_sig.c: libFuzzer target: any bytes as a signature scalar, in each quoting style, so the
 * grammar and the position mapping inside quoted scalars see every input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "node.h"
#include "sig.h"

static bool known(const char *name, void *ctx)
{
	(void)ctx;
	return strcmp(name, "pte_t") == 0 || strcmp(name, "pgd_t") == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum scalar_style styles[] = {STYLE_PLAIN, STYLE_SINGLE, STYLE_DOUBLE, STYLE_LITERAL};
	FILE *sink = fopen("/dev/null", "w");

	if (size == 0 || memchr(data, 0, size))
		goto out;
	for (size_t i = 0; i < sizeof(styles) / sizeof(styles[0]); i++) {
		char *text = xmalloc(size + 1);
		struct node n = {0};
		struct csig sig;

		memcpy(text, data, size);
		text[size] = '\0';
		n.kind = NODE_SCALAR;
		n.style = styles[i];
		n.src = diag_source("fuzz.yaml", text, size);
		n.pos = (struct pos){"fuzz.yaml", 1, 1};
		n.str = text; /* the raw text stands in for the scalar's value */
		n.len = size;
		if (sig_parse(&n, known, NULL, &sig)) {
			free(sig_to_string(&sig));
			sig_free(&sig);
		}
		diag_flush(sink);
		diag_reset();
		free(text);
	}
out:
	fclose(sink);
	return 0;
}
