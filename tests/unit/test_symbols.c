/* test_symbols.c: the --list-symbols listing on hand-made models that hold only the common
 * model's keys (model.h): which entries count (owed, with a symbol), who owes a symbol (the
 * entry's `from`), who names it (directly, or through the generated code a ref goes via, or,
 * when no table names that code, the backend whose code it is),
 * the order (arch as added, backend as in the model, symbol), and the JSON form. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "symbols.h"

static void entry(struct tval *entries, const char *qname, const char *symbol, bool owed, const char *from)
{
	struct tval *e = tv_add_map(entries);
	tv_set_str(e, "qname", qname);
	tv_set_str(e, "symbol", symbol);
	tv_set_bool(e, "owed", owed);
	tv_set_str(e, "from", from);
}

static struct tval *backend(struct tval *backends, const char *name, struct tval **entries)
{
	struct tval *b = tv_add_map(backends), *t = tv_add_map(tv_set(b, "tables", tv_list()));
	tv_set_str(b, "name", name);
	*entries = tv_set(t, "entries", tv_list());
	return b;
}

/* Two backends on one arch: "hv" falls back to "base" for op b and has a generated body
 * for op c whose sequence names hv_shared. */
static struct tval *model(const char *arch)
{
	struct tval *m = tv_map(), *bs = tv_set(m, "backends", tv_list()), *e, *r;

	tv_set_str(m, "arch", arch);
	backend(bs, "base", &e);
	entry(e, "t.a", "base_a", true, "base");
	entry(e, "t.b", "base_b", true, "base");
	entry(e, "t.c", "paravirt_nop", false, "base"); /* generated: not listed */
	entry(e, "t.d", "", false, "base");             /* a C expression */
	struct tval *hv = backend(bs, "hv", &e);
	entry(e, "t.a", "hv_a", true, "hv");
	entry(e, "t.b", "base_b", true, "base");
	entry(e, "t.c", "hv_c_body", false, "hv");
	r = tv_add_map(tv_set(hv, "refs", tv_list()));
	tv_set_str(r, "symbol", "hv_shared");
	tv_set_str(r, "qname", "t.c");
	tv_set_str(r, "via", "hv_c_body");
	r = tv_add_map((struct tval *)tv_get(hv, "refs"));
	tv_set_str(r, "symbol", "hv_only_patched");
	tv_set_str(r, "qname", "t.e");
	tv_set_str(r, "via", "hv_e_inline"); /* no table names it */
	return m;
}

static char *listing(bool json, const char *first, const char *second)
{
	struct symbols *list = symbols_new();
	struct tval *m1 = model(first), *m2 = model(second);
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	symbols_add(list, m1);
	symbols_add(list, m2);
	symbols_print(list, f, json);
	fclose(f);
	symbols_free(list);
	tv_free(m1);
	tv_free(m2);
	return text;
}

static void text_lines(void **state)
{
	(void)state;
	char *text = listing(false, "zz", "aa");
	assert_string_equal(text, "zz base base_a          t.a (named by base)\n"
				  "zz base base_b          t.b (named by base, hv)\n"
				  "zz hv   hv_a            t.a (named by hv)\n"
				  "zz hv   hv_only_patched t.e (named by hv)\n"
				  "zz hv   hv_shared       t.c (named by hv)\n"
				  "aa base base_a          t.a (named by base)\n"
				  "aa base base_b          t.b (named by base, hv)\n"
				  "aa hv   hv_a            t.a (named by hv)\n"
				  "aa hv   hv_only_patched t.e (named by hv)\n"
				  "aa hv   hv_shared       t.c (named by hv)\n");
	free(text);
}

static void json_form(void **state)
{
	(void)state;
	char *text = listing(true, "x\"y", "b");
	assert_non_null(strstr(text, "{\"symbols\": [\n  {\"arch\": \"x\\\"y\", \"backend\": \"base\", \"symbol\": "
				     "\"base_a\", \"ops\": [\"t.a\"], \"named_by\": [\"base\"]},\n"));
	assert_non_null(strstr(text, "{\"arch\": \"b\", \"backend\": \"base\", \"symbol\": \"base_b\", \"ops\": [\"t.b\"], "
				     "\"named_by\": [\"base\", \"hv\"]}"));
	assert_string_equal(text + strlen(text) - 5, "}\n]}\n"); /* the last entry, then the end */
	free(text);
}

static void nothing_owed(void **state)
{
	(void)state;
	struct symbols *list = symbols_new();
	struct tval *m = tv_map();
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	tv_set_str(m, "arch", "a");
	tv_set(m, "backends", tv_list());
	symbols_add(list, m);
	symbols_print(list, f, true);
	symbols_print(list, f, false);
	fclose(f);
	assert_string_equal(text, "{\"symbols\": []}\n");
	free(text);
	symbols_free(list);
	tv_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_lines),
		cmocka_unit_test(json_form),
		cmocka_unit_test(nothing_owed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
