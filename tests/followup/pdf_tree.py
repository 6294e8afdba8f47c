"""Walk a PDF's structure tree (pikepdf): what a screen reader gets from the tagged report."""

import io

import pikepdf


def kids(element):
    k = element.get("/K")
    if k is None:
        return []
    k = list(k) if isinstance(k, pikepdf.Array) else [k]
    return [c for c in k if isinstance(c, pikepdf.Dictionary) and "/S" in c]


def elements(data):
    """Every structure element of the PDF, in document order, as (tag, element)."""
    pdf = pikepdf.open(io.BytesIO(data))
    found = []

    def walk(element):
        for kid in kids(element):
            found.append((str(kid.S), kid))
            walk(kid)

    walk(pdf.Root.StructTreeRoot)
    return pdf, found


def scope(th):
    attributes = th.get("/A")
    attributes = list(attributes) if isinstance(attributes, pikepdf.Array) else [attributes]
    for attribute in attributes:
        if isinstance(attribute, pikepdf.Dictionary) and "/Scope" in attribute:
            return str(attribute.Scope)
    return None


def rows(table):
    """The TR elements of a table, directly or inside THead/TBody/TFoot."""
    found = []
    for kid in kids(table):
        if kid.S == "/TR":
            found.append(kid)
        elif str(kid.S) in ("/THead", "/TBody", "/TFoot"):
            found.extend(k for k in kids(kid) if k.S == "/TR")
    return found


def in_head(th):
    element = th
    while "/P" in element:
        element = element.P
        if element.get("/S") == "/THead":
            return True
        if element.get("/S") == "/Table":
            return False
    return False


def problems(data):
    """PDF/UA-1 table, figure and heading problems, in words (empty when there are none)."""
    _pdf, found = elements(data)
    found_problems = []
    level = 0
    for tag, element in found:
        if tag == "/TH":
            expected = "/Column" if in_head(element) else "/Row"
            if scope(element) != expected:
                found_problems.append(f"TH with scope {scope(element)}, expected {expected}")
        elif tag == "/Table" and not rows(element):
            found_problems.append("Table without TR rows")
        elif tag == "/Figure" and not str(element.get("/Alt", "")).strip():
            found_problems.append("Figure without /Alt")
        elif tag in ("/H1", "/H2", "/H3", "/H4", "/H5", "/H6"):
            new = int(tag[2])
            if new > level + 1:
                found_problems.append(f"heading {tag} after H{level}")
            level = new
    return found_problems
