#!/usr/bin/env python3
"""Validates Dossier's exports with the standards' own schemas and with
independent parsers (see ../shared/validators/*/README.md for the commands).

usage: validate_exports.py EXPORT_DIR VALIDATORS_DIR

EXPORT_DIR holds anno.jsonld, project.qdpx, codebook.qdc, refs.json, refs.bib,
refs.ris (written by scripts/validate-exports.sh). Exit 1 on any failure.
"""
import json
import re
import pathlib
import subprocess
import sys
import tempfile
import zipfile

from jsonschema import Draft4Validator, Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

out = pathlib.Path(sys.argv[1])
val = pathlib.Path(sys.argv[2]).resolve()
failures = []


def fail(what, why):
    failures.append(f"{what}: {why}")
    print(f"FAIL {what}: {why}")


def ok(what):
    print(f"ok   {what}")


# ---------------------------------------------------------------- W3C
def w3c_validators(test_file, assertions=None):
    root = val / "w3c-web-annotation"
    base = (root / "definitions").resolve().as_uri() + "/"
    reg = Registry()
    for p in (root / "definitions").glob("*.json"):
        d = json.loads(p.read_text())
        d["id"] = base + p.name
        reg = reg.with_resource(base + p.name, Resource.from_contents(d, default_specification=DRAFT4))
    out_list = []
    names = assertions if assertions is not None else json.loads((root / test_file).read_text())["assertions"]
    for a in names:
        uri = base + pathlib.Path(a).name
        s = json.loads((root / a).read_text())
        s["id"] = uri
        r = reg.with_resource(uri, Resource.from_contents(s, default_specification=DRAFT4))
        out_list.append((a, Draft4Validator({"$ref": uri}, registry=r,
                                            format_checker=Draft4Validator.FORMAT_CHECKER)))
    return out_list


def check_w3c():
    doc = json.loads((out / "anno.jsonld").read_text())
    musts = w3c_validators("annotations/annotationMusts.test")
    items = doc.get("first", {}).get("items", [])
    if doc.get("total") != len(items) or not items:
        fail("w3c", f"total {doc.get('total')} vs {len(items)} items")
    for i, item in enumerate(items):
        bad = [a for a, v in musts if not v.is_valid(item)]
        if bad:
            fail(f"w3c annotation {i}", ", ".join(bad))
        sels = {s["type"]: s for s in item["target"]["selector"]}
        if "TextQuoteSelector" not in sels or "TextPositionSelector" not in sels:
            fail(f"w3c annotation {i}", "needs both selectors")
    # A claim in a PDF also names its page (RFC 3778), as the model's FragmentSelector
    # assertions require: a value, and conformsTo a single URI.
    fragments = [i for i, item in enumerate(items)
                 if any(s["type"] == "FragmentSelector" for s in item["target"]["selector"])]
    if not fragments:
        fail("w3c", "no annotation carries the FragmentSelector of its PDF page")
    frag_checks = w3c_validators(None, ["annotations/specificResource/4.2.1-conformsTo.json",
                                        "annotations/specificResource/4.2-fragmentCssXPathSelectorValid.json"])
    if len(frag_checks) < 2:
        fail("w3c harness", f"the FragmentSelector assertions were not found ({len(frag_checks)})")
    for i in fragments:
        bad = [a for a, v in frag_checks if not v.is_valid(items[i])]
        if bad:
            fail(f"w3c annotation {i}", ", ".join(bad))
        frag = next(s for s in items[i]["target"]["selector"] if s["type"] == "FragmentSelector")
        if frag.get("conformsTo") != "http://tools.ietf.org/rfc/rfc3778" or not frag["value"].startswith("page="):
            fail(f"w3c annotation {i}", f"not an RFC 3778 page fragment: {frag}")
    broken = json.loads(json.dumps(items[fragments[0]])) if fragments else None
    if broken:
        next(s for s in broken["target"]["selector"] if s["type"] == "FragmentSelector")["conformsTo"] = "not a uri"
        if all(v.is_valid(broken) for _, v in frag_checks):
            fail("w3c harness", "a FragmentSelector whose conformsTo is not a URI passed")
    # The validators must reject what they should: a sanity check of the harness itself.
    broken = json.loads(json.dumps(items[0]))
    del broken["target"]["selector"][0]["exact"]
    if all(v.is_valid(broken) for _, v in musts):
        fail("w3c harness", "a TextQuoteSelector without exact passed every MUST")
    coll = w3c_validators("collections/collectionMusts.test")
    bad = [a for a, v in coll if not v.is_valid(doc)]
    if bad:
        fail("w3c collection", ", ".join(bad))
    if not failures:
        ok(f"w3c: {len(items)} annotations pass all {len(musts)} MUST assertions; collection passes {len(coll)}; "
           f"{len(fragments)} PDF page fragment(s) pass the {len(frag_checks)} FragmentSelector assertions")


# ---------------------------------------------------------------- REFI-QDA
def xmllint(xsd, path, what):
    r = subprocess.run(["xmllint", "--noout", "--schema", str(xsd), str(path)], capture_output=True, text=True)
    if r.returncode != 0:
        fail(what, r.stderr.strip()[-800:])
        return False
    return True


def check_qda():
    before = len(failures)
    refi = val / "refi-qda"
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(out / "project.qdpx") as z:
        names = z.namelist()
        if "project.qde" not in names:
            fail("qdpx", "no project.qde")
            return
        z.extractall(tmp)
        qde = pathlib.Path(tmp) / "project.qde"
        xmllint(refi / "Project-mrt2019.xsd", qde, "qdpx project.qde")
        # What the XSD cannot say: a source's text exists, exactly one way, and
        # every selection lies inside it.
        import xml.etree.ElementTree as ET
        ns = {"q": "urn:QDA-XML:project:1.0"}
        root = ET.parse(qde).getroot()
        sels = 0
        for src in root.iterfind(".//q:TextSource", ns):
            inline = src.find("q:PlainTextContent", ns) is not None
            path = src.get("plainTextPath")
            if inline == (path is not None):
                fail("qdpx", f"source {src.get('guid')} needs exactly one of PlainTextContent / plainTextPath")
                continue
            text = pathlib.Path(tmp, "Sources", path.removeprefix("internal://")).read_text(encoding="utf-8")
            for sel in src.iterfind("q:PlainTextSelection", ns):
                sels += 1
                s, e = int(sel.get("startPosition")), int(sel.get("endPosition"))
                if not (0 <= s < e <= len(text)):
                    fail("qdpx", f"selection {sel.get('guid')} {s}-{e} outside a text of {len(text)} characters")
        if sels == 0:
            fail("qdpx", "no coded selections")
        # A PDF source: its PDF is in the archive; each PDFSelection's page (from 0)
        # is one of the PDF's pages and its rectangle lies on that page, as
        # poppler's pdfinfo measures it; its text is in the source's text.
        pdf_sels = 0
        for src in root.iterfind(".//q:PDFSource", ns):
            pdf = pathlib.Path(tmp, "Sources", src.get("path", "").removeprefix("internal://"))
            if not pdf.is_file() or not pdf.read_bytes().startswith(b"%PDF"):
                fail("qdpx", f"PDF source {src.get('guid')} has no PDF in the archive ({src.get('path')})")
                continue
            rep = src.find("q:Representation", ns)
            text = pathlib.Path(tmp, "Sources", rep.get("plainTextPath").removeprefix("internal://")).read_text(encoding="utf-8")
            info = subprocess.run(["pdfinfo", "-l", "-1", str(pdf)], capture_output=True, text=True).stdout
            sizes = [tuple(map(float, re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)[i])) for i in range(len(re.findall(r"Page\s+\d+ size", info)))]
            for sel in src.iterfind("q:PDFSelection", ns):
                pdf_sels += 1
                page = int(sel.get("page"))
                x0, y0, x1, y1 = (int(sel.get(k)) for k in ("firstX", "firstY", "secondX", "secondY"))
                if not 0 <= page < len(sizes):
                    fail("qdpx", f"PDFSelection {sel.get('guid')} on page {page} of a {len(sizes)}-page PDF")
                    continue
                w, h = sizes[page]
                if not (0 <= x0 < x1 <= w + 1 and 0 <= y0 < y1 <= h + 1):
                    fail("qdpx", f"PDFSelection {sel.get('guid')} ({x0},{y0})-({x1},{y1}) is not on a {w}x{h} page")
                quote = sel.find("q:Representation/q:PlainTextContent", ns)
                if quote is None or quote.text not in text:
                    fail("qdpx", f"PDFSelection {sel.get('guid')}: its text is not the source's")
        if pdf_sels == 0:
            fail("qdpx", "no PDFSelection (the PDF article's claim)")
    xmllint(refi / "Codebook.xsd", out / "codebook.qdc", "qdc")
    # The harness must reject a broken file.
    with tempfile.NamedTemporaryFile("w", suffix=".qdc", delete=False) as f:
        f.write((out / "codebook.qdc").read_text().replace(' isCodable="true"', "", 1))
    r = subprocess.run(["xmllint", "--noout", "--schema", str(refi / "Codebook.xsd"), f.name], capture_output=True)
    if r.returncode == 0:
        fail("qdc harness", "a code without isCodable validated")
    if len(failures) == before:
        ok(f"REFI-QDA: project.qde valid against Project-mrt2019.xsd ({sels} selections inside their texts, "
           f"{pdf_sels} PDF selection(s) on their pages); codebook.qdc valid against Codebook.xsd")


# ---------------------------------------------------------------- references
def check_refs():
    before = len(failures)
    schema = json.loads((val / "csl-json" / "csl-data.json").read_text())
    items = json.loads((out / "refs.json").read_text())
    errors = list(Draft7Validator(schema).iter_errors(items))
    if errors:
        fail("csl", "; ".join(e.message for e in errors[:5]))
    r = subprocess.run(["biber", "--tool", "--validate-datamodel", "--output-file", "/dev/null", str(out / "refs.bib")],
                       capture_output=True, text=True)
    log = r.stdout + r.stderr
    if r.returncode != 0 or "ERROR" in log:
        fail("bibtex (biber)", log.strip()[-800:])
    elif "WARN" in log:
        fail("bibtex (biber)", "warnings: " + " | ".join(l for l in log.splitlines() if "WARN" in l)[:800])
    import bibtexparser
    lib = bibtexparser.parse_file(str(out / "refs.bib"))
    if lib.failed_blocks or len(lib.entries) != len(items):
        fail("bibtex (bibtexparser)", f"{len(lib.entries)} entries, {len(lib.failed_blocks)} failed blocks")
    import rispy
    with open(out / "refs.ris", encoding="utf-8") as f:
        recs = rispy.load(f)
    if len(recs) != len(items) or not all("type_of_reference" in r and r.get("title") for r in recs):
        fail("ris (rispy)", f"{len(recs)} records for {len(items)} articles")
    if len(failures) == before:
        ok(f"references: CSL-JSON valid against csl-data.json, biber accepts the BibTeX without warnings, "
           f"bibtexparser and rispy read {len(items)} record(s) each")


check_w3c()
check_qda()
check_refs()
print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
