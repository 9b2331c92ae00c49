#!/usr/bin/env python3
"""tests/core/reach.py ROOT OBJ...: the undefined symbols a link of OBJ... needs from ROOT on,
one a line, sorted: what ROOT's data and code reference, and what that references in turn,
read from the objects' symbol tables and relocations (readelf). Build the objects with
-ffunction-sections -fdata-sections, so that each C object is its own section; a reference
from a section with no symbol that covers it counts for every symbol of that section. A
fault-fixup table (__ex_table: pairs of instruction, fixup) makes each fixup a reference of
its instruction's code."""
import re
import subprocess
import sys


def readelf(flag, obj):
    return subprocess.run(["readelf", flag, "-W", obj], check=True, capture_output=True, text=True).stdout


def main():
    root, objs = sys.argv[1], sys.argv[2:]
    defined = set()
    edges = {}  # symbol -> symbols it references
    for obj in objs:
        data = open(obj, "rb").read()
        sections, index = {}, {}  # name -> file offset, index -> name
        for m in re.finditer(r"^\s*\[\s*([1-9]\d*)\]\s+(\S+)\s+\S+\s+[0-9a-f]+\s+([0-9a-f]+)", readelf("-S", obj), re.M):
            sections[m.group(2)], index[m.group(1)] = int(m.group(3), 16), m.group(2)
        syms = {}  # section name -> [(value, size, name)]
        for line in readelf("-s", obj).splitlines():
            f = line.split()
            if len(f) < 8 or not f[0][:-1].isdigit() or f[3] in ("SECTION", "FILE") or f[6] not in index:
                continue
            syms.setdefault(index[f[6]], []).append((int(f[1], 16), int(f[2]), f[7]))
            defined.add(f[7])

        def covering(section, off):
            return [s[2] for s in syms.get(section, []) if s[0] <= off < s[0] + max(s[1], 1)]

        section, rela, pending = None, False, []
        for line in readelf("-r", obj).splitlines():
            m = re.match(r"Relocation section '\.(rela?)(\S+)'", line)
            if m:
                rela, section, pending = m.group(1) == "rela", m.group(2), []
                continue
            f = line.split()
            if section is None or len(f) < 5 or not re.match(r"^[0-9a-f]+$", f[0]):
                continue
            off, target = int(f[0], 16), f[4]
            if target in sections:  # a section and an offset in it: the symbol there
                if rela:
                    addend = int(f[6], 16) * (-1 if f[5] == "-" else 1)
                else:  # REL: the addend is the word in place
                    addend = int.from_bytes(data[sections[section] + off:sections[section] + off + 4], "little", signed=True)
                if "PC32" in f[2] or "PLT32" in f[2]:
                    addend += 4
                targets = covering(target, addend)
            else:
                targets = [target]
            if section == "__ex_table":
                pending += targets
                if len(pending) == 2:
                    edges.setdefault(pending[0], set()).add(pending[1])
                    pending = []
                continue
            for h in covering(section, off) or [s[2] for s in syms.get(section, [])]:
                edges.setdefault(h, set()).update(targets)
    seen, todo = {root}, [root]
    while todo:
        for t in edges.get(todo.pop(), ()):
            if t not in seen:
                seen.add(t)
                todo.append(t)
    print("\n".join(sorted(s for s in seen if s not in defined)))


main()
