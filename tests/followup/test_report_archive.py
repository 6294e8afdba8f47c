"""Archive copies of a published year-end report: PDF/A declared in its XMP, every font
embedded, an XML file of the metadata, one package whose checksums verify."""

import hashlib
import io
import zipfile
from http import HTTPStatus
from xml.etree import ElementTree as ET

import pikepdf
import pytest
from django.urls import reverse
from django.utils import timezone

from followup.models import PublishedReport
from followup.services import report_publish

from ..factories import make_plan_tree


@pytest.fixture
def published(agreement, coordinator):
    make_plan_tree(agreement, year=2024, activities=2)
    return report_publish(agreement=agreement, year=2024, by=coordinator)


def _fonts(pdf):
    """Every font object in the file, the pages' and those inside drawings alike."""
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font":
            yield obj


def test_the_archive_package_holds_a_pdfa_copy_metadata_and_verified_sums(
    client_for, agreement, reader, published
):
    client = client_for(reader)
    listing = client.get(reverse("followup:report-list", args=[agreement.pk])).content.decode()
    url = reverse("followup:report-archive", args=[agreement.pk, 2024, 1])
    assert url in listing
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/zip"
    package = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(package.namelist())
    stem = published.filename.removesuffix(".pdf")
    assert names == {f"{stem}-pdfa.pdf", f"{stem}.pdf", "metadata.xml", "SHA256SUMS"}

    # Every checksum verifies, as `sha256sum -c SHA256SUMS` would.
    lines = package.read("SHA256SUMS").decode().splitlines()
    assert len(lines) == 3
    for line in lines:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256(package.read(name)).hexdigest() == digest

    # The published PDF, byte for byte: the public record.
    assert package.read(f"{stem}.pdf") == bytes(PublishedReport.objects.get().pdf)

    # The copy declares PDF/A in its XMP, has an output intent and embeds every font.
    with pikepdf.open(io.BytesIO(package.read(f"{stem}-pdfa.pdf"))) as pdf:
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
        assert pdf.Root.OutputIntents[0].S == "/GTS_PDFA1"
        fonts = list(_fonts(pdf))
        assert fonts
        for font in fonts:
            if font.get("/Subtype") == "/Type3":
                continue  # drawn glyphs: nothing to embed
            descendants = font.get("/DescendantFonts")
            target = descendants[0] if descendants is not None else font
            descriptor = target.get("/FontDescriptor")
            assert descriptor is not None, font.get("/BaseFont")
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        assert len(pdf.pages) == len(pikepdf.open(io.BytesIO(bytes(published.pdf))).pages)

    # The metadata: agreement, year, version, SHA-256 of the published PDF, decision date.
    root = ET.fromstring(package.read("metadata.xml"))  # noqa: S314 (our own file)
    assert root.findtext("overenskommelse") == agreement.title
    assert root.findtext("verksamhetsar") == "2024"
    assert root.findtext("version") == "1"
    assert root.findtext("sha256") == published.sha256
    day = timezone.localtime(published.published_at).date()
    assert root.findtext("beslutsdatum") == day.isoformat()
    files = {f.get("namn"): f.get("sha256") for f in root.iter("fil")}
    assert files[f"{stem}.pdf"] == published.sha256


def test_the_copy_is_the_same_bytes_every_time(published):
    from followup.report.archive import pdfa_copy

    assert pdfa_copy(bytes(published.pdf)) == pdfa_copy(bytes(published.pdf))


def test_other_agreements_cannot_fetch_the_package(client_for, agreement, outsider, published):
    url = reverse("followup:report-archive", args=[agreement.pk, 2024, 1])
    assert client_for(outsider).get(url).status_code == HTTPStatus.NOT_FOUND
