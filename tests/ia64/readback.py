#!/usr/bin/env python3
"""readback.py: check a patched IA-64 image against the image before patching, reading both
back with objdump only (never with the patcher's own code). Usage:

    readback.py OBJDUMP ORIGINAL PATCHED ASM-OUT PREFIX [FALLBACK-PREFIX...]

Prints `ok - NAME` / `not ok - NAME: why` for: every .paravirt_bundles site holds exactly the
body of the first backend (in prefix order) that has one for its type, then bundles of nops,
or is unchanged when none has; every .paravirt_insts site holds the body's one instruction in
its tagged slot and nops after it; every .paravirt_branches site branches to the entry point
the backend's branch_target table names; no bundle outside the sites changed. Writes the
patched text as explicit-mode assembler source to ASM-OUT, for reassembly.
"""
import re
import subprocess
import sys

OBJDUMP, ORIG, PATCHED, ASM_OUT = sys.argv[1:5]
PREFIXES = sys.argv[5:]
failures = 0


def report(name, good, why=""):
    global failures
    print(("ok - %s" % name) if good else ("not ok - %s: %s" % (name, why)))
    failures += 0 if good else 1


def run(*args):
    return subprocess.run([OBJDUMP, *args], check=True, capture_output=True, text=True).stdout


def symbols(path):
    syms, names = {}, {}
    for line in run("-t", path).splitlines():
        f = line.split()
        if len(f) >= 5 and re.fullmatch(r"[0-9a-f]{16}", f[0]) and f[-2] != "*UND*":
            syms[f[-1]] = int(f[0], 16)
            names.setdefault(int(f[0], 16), f[-1])
    return syms, names


def contents(path, section):
    """The bytes of a section by address, from objdump -s."""
    data, base = bytearray(), None
    for line in run("-s", "-j", section, path).splitlines():
        m = re.match(r"^ ([0-9a-f]+) ((?:[0-9a-f]{2,8} ?){1,4})", line)
        if not m:
            continue
        if base is None:
            base = int(m.group(1), 16)
        data += bytes.fromhex(m.group(2).replace(" ", ""))
    return base or 0, bytes(data)


def words(path, section, n):
    base, data = contents(path, section)
    vals = [int.from_bytes(data[i:i + 8], "little") for i in range(0, len(data) - 7, 8)]
    return [vals[i:i + n] for i in range(0, len(vals) - n + 1, n)]


def read_u64(path, addr, count, sections=(".rodata", ".data")):
    for sec in sections:
        try:
            base, data = contents(path, sec)
        except subprocess.CalledProcessError:
            continue
        if base <= addr and addr + 8 * count <= base + len(data):
            off = addr - base
            return [int.from_bytes(data[off + 8 * i:off + 8 * i + 8], "little") for i in range(count)]
    raise SystemExit("no data at %#x" % addr)


def disasm(path):
    """Bundle address -> (template, [slot texts]), slot text with its stop (";;")."""
    bundles, cur = {}, None
    for line in run("-d", "--no-show-raw-insn", path).splitlines():
        m = re.match(r"^\s*([0-9a-f]+):\s*(\[([A-Z;]+)\])?\s*(.*?)\s*$", line)
        if not m or not m.group(4) and not m.group(2):
            continue
        addr = int(m.group(1), 16)
        if m.group(2):
            cur = addr
            bundles[cur] = (m.group(3), [])
        if cur is not None and addr - cur < 16:
            bundles[cur][1].append(m.group(4))
    return bundles


def normal(text, base):
    """A slot's text with a branch target made relative to base (a body moves with it)."""
    text = re.sub(r"\s*<[^>]*>", "", text)
    return re.sub(r"\b(0x)?([0-9a-f]{9,16})\b", lambda m: "%+d" % (int(m.group(2), 16) - base), text) \
        if re.match(r"(\(p\d+\) )?br", text) else text


orig, patched = disasm(ORIG), disasm(PATCHED)
syms, names = symbols(ORIG)
NOPS = ("MII", ["nop.m 0x0", "nop.i 0x0", "nop.i 0x0"])


def elems(prefix, name, count, n):
    if prefix + name not in syms:
        return {}
    k = read_u64(ORIG, syms[prefix + count], 1)[0]
    v = read_u64(ORIG, syms[prefix + name], n * k)
    return {v[i + n - 1]: v[i:i + n - 1] for i in range(0, n * k, n)}


lists = [elems(p, "patch_bundle_elems", "patch_bundle_nelems", 3) for p in PREFIXES]
targets = [elems(p, "branch_target", "branch_target_nelems", 2) for p in PREFIXES]
touched = set()


def body_for(type_):
    for i, l in enumerate(lists):
        if type_ in l:
            return i, l[type_]
    return None, None


def bundles_of(d, start, end):
    return [d.get(a) for a in range(start, end, 16)]


# bundle sites
bad, n_body, n_left = [], 0, 0
for s, e, t in words(ORIG, ".paravirt_bundles", 3):
    touched.update(range(s, e, 16))
    who, body = body_for(t)
    got = bundles_of(patched, s, e)
    if body is None:
        n_left += 1
        if got != bundles_of(orig, s, e):
            bad.append("%#x (type %#x) has no body but changed" % (s, t))
        continue
    bs, be = body
    want = [(tp, [normal(x, bs) for x in sl]) for tp, sl in bundles_of(orig, bs, be)]
    have = [(tp, [normal(x, s) for x in sl]) for tp, sl in got[:len(want)]]
    pads = got[len(want):]
    if have != want or any(p != NOPS for p in pads):
        bad.append("%#x (type %#x): not %s's body + nops: %s" % (s, t, PREFIXES[who], got))
    n_body += 1
report("bundle-sites-hold-body-and-nops (%d bodies, %d left to the call)" % (n_body, n_left), not bad,
       "; ".join(bad[:3]))

# inst sites
bad, n = [], 0
for st, et, t in words(ORIG, ".paravirt_insts", 3):
    who, body = body_for(t)
    if body is None:
        continue
    insns = [x for tp, sl in bundles_of(orig, *body) for x in sl if not x.startswith("nop")]
    tag, slots = st, []
    while tag < et:
        slots.append(tag)
        tag = (tag & ~15) + 16 if tag & 3 == 2 else tag + 1
    texts = [patched[x & ~15][1][x & 3].replace(";;", "").strip() for x in slots]
    touched.update(x & ~15 for x in slots)
    want = [insns[0].replace(";;", "").strip()] + ["nop"] * (len(slots) - 1) if len(insns) == 1 else None
    if not want or texts[0] != want[0] or any(not x.startswith("nop.") for x in texts[1:]):
        bad.append("%#x (type %#x): %s, want %s's %s" % (st, t, texts, PREFIXES[who], insns))
    n += 1
report("inst-sites-hold-the-instruction (%d)" % n, not bad and n > 0, "; ".join(bad[:3]) or "no inst sites")

# branch sites
bad, n = [], 0
for tag, t in words(ORIG, ".paravirt_branches", 2):
    addr, slot = tag & ~15, tag & 3
    touched.add(addr)
    want = next((tl[t][0] for tl in targets if t in tl), None)
    text = patched[addr][1][slot]
    m = re.search(r"br(\.[a-z.]+)?\s+(0x)?([0-9a-f]+) <([^>]+)>", text)
    if want is None or not m or int(m.group(3), 16) != want or m.group(4) != names.get(want):
        bad.append("%#x (type %#x): '%s', want %s" % (tag, t, text, names.get(want, want)))
    n += 1
report("branch-sites-reach-the-entry-points (%d)" % n, not bad and n > 0, "; ".join(bad[:3]) or "no branch sites")

# nothing else changed
changed = [a for a in orig if a not in touched and orig[a] != patched.get(a)]
report("no-bundle-outside-a-site-changed (%d bundles)" % len(orig), not changed,
       ", ".join("%#x" % a for a in changed[:5]))

# the patched text as assembler source: every bundle, labels for branch targets
with open(ASM_OUT, "w") as out:
    out.write("\t.text\n")
    for a in sorted(patched):
        tp, sl = patched[a]
        out.write("L_%x:\n\t{ .%s\n" % (a, tp.replace(";", "").lower()))
        for x in sl:
            x = re.sub(r"\s*<[^>]*>", "", x)
            x = re.sub(r"\((p)0*(\d+)\)", r"(\1\2)", x)
            x = re.sub(r"(br[.a-z]*\s+)(0x)?([0-9a-f]{9,16})", lambda m: m.group(1) + "L_" + m.group(3), x)
            out.write("\t%s\n" % x)
        out.write("\t}\n")
sys.exit(0)
