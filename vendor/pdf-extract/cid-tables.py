#!/usr/bin/env python3
"""Builds src/cid/<Registry-Ordering>.bin: for each CID of an Adobe character
collection, its Unicode scalar (u32, little-endian; 0 = none), from Adobe's
<Collection>-UCS2 CMaps (BSD-3-Clause; Debian's poppler-data ships them in
/usr/share/poppler/cMap). The .bin files are checked in: building Dossier
does not need poppler-data. Run: python3 vendor/pdf-extract/cid-tables.py"""
import os, re, struct, sys

SRC = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/poppler/cMap"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "src", "cid")
COLLECTIONS = ["Adobe-GB1", "Adobe-CNS1", "Adobe-Japan1", "Adobe-Korea1"]

def scalar(hexstr):
    units = [int(hexstr[i:i + 4], 16) for i in range(0, len(hexstr), 4)]
    s = b"".join(struct.pack(">H", u) for u in units).decode("utf-16-be", "replace")
    return ord(s[0]) if s else 0  # a sequence keeps its first character

for coll in COLLECTIONS:
    text = open(os.path.join(SRC, coll, coll + "-UCS2"), encoding="latin-1").read()
    table = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for cid, uni in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            table[int(cid, 16)] = scalar(uni)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, uni in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            base = scalar(uni)
            for i, cid in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                table[cid] = base + i
    size = max(table) + 1
    data = b"".join(struct.pack("<I", table.get(c, 0)) for c in range(size))
    with open(os.path.join(OUT, coll + ".bin"), "wb") as f:
        f.write(data)
    print(f"{coll}: {len(table)} CIDs mapped of {size}")
