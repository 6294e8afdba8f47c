"""Archive copies of a published year-end report for the municipality's e-archive.

The copy is made from the published PDF itself, so it holds exactly what was published: the
same pages, made PDF/A-2b (the XMP declares it, an sRGB output intent, printable annotations;
WeasyPrint embeds every font it uses). The package adds the published PDF byte for byte, an
XML file of the report's metadata and a SHA256SUMS file that `sha256sum -c` verifies.
"""

import hashlib
import io
import zipfile
from importlib.resources import files
from xml.etree import ElementTree as ET

import pikepdf
from django.utils import timezone

SRGB_PROFILE = files("weasyprint.pdf").joinpath("sRGB2014.icc")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pdfa_copy(published_pdf: bytes) -> bytes:
    """The published PDF as PDF/A-2b; the same bytes every time for the same input."""
    with pikepdf.open(io.BytesIO(published_pdf)) as pdf:
        profile = pikepdf.Stream(pdf, SRGB_PROFILE.read_bytes())
        profile.N = 3
        pdf.Root.OutputIntents = pikepdf.Array(
            [
                pikepdf.Dictionary(
                    Type=pikepdf.Name.OutputIntent,
                    S=pikepdf.Name.GTS_PDFA1,
                    OutputConditionIdentifier="sRGB IEC61966-2.1",
                    Info="sRGB IEC61966-2.1",
                    DestOutputProfile=pdf.make_indirect(profile),
                )
            ]
        )
        for page in pdf.pages:
            for annotation in page.get("/Annots", []):
                annotation.F = 4  # printed, as PDF/A asks of every annotation
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["pdfaid:part"] = "2"
            meta["pdfaid:conformance"] = "B"
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()


def _metadata_xml(published, files_and_sums):
    report = published.report
    agreement = report.agreement
    root = ET.Element("arkivpaket", {"format": "PiteBra årsrapport", "version": "1"})
    ET.SubElement(root, "overenskommelse", {"id": str(agreement.pk)}).text = agreement.title
    ET.SubElement(root, "kommun").text = str(agreement.municipality)
    ET.SubElement(root, "lokalpolisomrade").text = str(agreement.police_area)
    ET.SubElement(root, "verksamhetsar").text = str(report.year)
    ET.SubElement(root, "version").text = str(published.version)
    ET.SubElement(root, "beslutsdatum").text = (
        timezone.localtime(published.published_at).date().isoformat()
    )
    ET.SubElement(root, "sha256").text = published.sha256
    if published.correction_reason:
        ET.SubElement(root, "rattelse").text = published.correction_reason
    listing = ET.SubElement(root, "filer")
    for name, (kind, digest) in files_and_sums.items():
        ET.SubElement(listing, "fil", {"namn": name, "typ": kind, "sha256": digest})
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def archive_package(published) -> bytes:
    """One zip: the PDF/A copy, the published PDF, metadata.xml and SHA256SUMS."""
    original = bytes(published.pdf)
    stem = published.filename.removesuffix(".pdf")
    members = {
        f"{stem}-pdfa.pdf": ("PDF/A-2b", pdfa_copy(original)),
        f"{stem}.pdf": ("Publicerad PDF (allmän handling)", original),
    }
    sums = {name: (kind, sha256(data)) for name, (kind, data) in members.items()}
    metadata = _metadata_xml(published, sums)
    listing = {**{name: data for name, (_k, data) in members.items()}, "metadata.xml": metadata}
    checksums = "".join(f"{sha256(data)}  {name}\n" for name, data in sorted(listing.items()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in listing.items():
            zf.writestr(name, data)
        zf.writestr("SHA256SUMS", checksums)
    return buffer.getvalue()
