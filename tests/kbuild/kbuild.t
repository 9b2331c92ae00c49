#!/usr/bin/env bash
# The README's kernel-tree fragment (tests/kbuild/pvops.mk, in README.md verbatim) works: a
# small tree with the spec in its source folder builds an object that includes the generated
# header; a second make does nothing; a changed spec regenerates and rebuilds; so does a touched
# template (the dependency file pvopsc -d writes), and only the templates used are named there.
set -u
. "$ROOT/tests/core/lib.sh"
tmpdir
K=$ROOT/tests/kbuild
python3 - "$K/pvops.mk" "$ROOT/README.md" <<'PY' && ok "kbuild: README.md holds tests/kbuild/pvops.mk verbatim" || notok "kbuild: README.md's fragment differs from tests/kbuild/pvops.mk"
import sys
sys.exit(0 if open(sys.argv[1]).read() in open(sys.argv[2]).read() else 1)
PY
mkdir -p "$TMP/src/arch/x86/pvops" "$TMP/obj"
cp "$ROOT/spec/pvops.yaml" "$TMP/src/arch/x86/pvops/"
cp "$ROOT/tests/x86/prelude.h" "$ROOT/runtime/kernel_types.h" "$TMP/src/"
printf '#include "paravirt.h"\nvoid t(void);\nvoid t(void) { wbinvd(); }\n' >"$TMP/src/user.c"
cp -r "$ROOT/templates" "$TMP/templates"
mk() { make -C "$TMP" -f "$K/Makefile" -I "$K" srctree="$TMP/src" objtree="$TMP/obj" PVOPSC="$PVOPSC -t $TMP/templates" "$@"; }
mk "$TMP/obj/user.o" >"$TMP/log" 2>&1 && [ -f "$TMP/obj/user.o" ] &&
	ok "kbuild: the object that includes the generated header builds" || { notok "kbuild: build"; tail -5 "$TMP/log"; }
mk -q "$TMP/obj/user.o" && ok "kbuild: then everything is up to date" || notok "kbuild: a second make would rebuild"
sleep 1
echo "# a change" >>"$TMP/src/arch/x86/pvops/pvops.yaml"
mk -q "$TMP/obj/user.o"; [ $? -eq 1 ] && ok "kbuild: a changed spec makes the headers and the object stale" ||
	notok "kbuild: a changed spec should make the object stale"
mk "$TMP/obj/user.o" >"$TMP/log" 2>&1 && mk -q "$TMP/obj/user.o" && ok "kbuild: and a make brings them up to date" ||
	{ notok "kbuild: rebuild after the change"; tail -5 "$TMP/log"; }
D=$TMP/obj/arch/x86/include/generated/pvops/.pvops.d
# independently: the templates the generated files name in their provenance line
names=$(grep -rhoE 'and templates/[^ ]+\.tmpl' "$TMP/obj/arch/x86/include/generated/pvops" | sed 's/^and //' | sort -u)
deps=$(grep -oE "$TMP/templates/[^ :]+\.tmpl" "$D" | sed "s|^$TMP/||" | sort -u)
[ -n "$names" ] && [ "$names" = "$deps" ] && grep -q "^$TMP/src/arch/x86/pvops/pvops.yaml:\$" "$D" &&
	ok "kbuild: the dependency file names the spec and exactly the templates used ($(echo "$names" | wc -l))" ||
	notok "kbuild: the dependency file's templates differ from the provenance lines': $(diff <(echo "$names") <(echo "$deps") | head -3)"
sleep 1
touch "$TMP/templates/x86/paravirt.h.tmpl"
mk -q "$TMP/obj/user.o"; [ $? -eq 1 ] && ok "kbuild: a touched template makes the headers and the object stale" ||
	notok "kbuild: a touched template should make the object stale"
mk "$TMP/obj/user.o" >"$TMP/log" 2>&1 && mk -q "$TMP/obj/user.o" && ok "kbuild: and a make brings them up to date again" ||
	{ notok "kbuild: rebuild after touching a template"; tail -5 "$TMP/log"; }
rm "$TMP/templates/ia64/paravirt_privop.h.tmpl"
mk "$TMP/obj/user.o" >"$TMP/log" 2>&1 && ok "kbuild: a removed template does not break the build" ||
	{ notok "kbuild: build after removing a template"; tail -5 "$TMP/log"; }
exit 0
