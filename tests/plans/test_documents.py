"""Supporting documents: type checked by content, size limit, served only to members."""

import datetime
import io
import zipfile
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.models import Document

from ..factories import make_member

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def _zip(*names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _upload(client, agreement, name, content, title="Trygghetsmätning 2024"):
    return client.post(
        reverse("plans:document-list", args=[agreement.pk]),
        {
            "title": title,
            "date": "2024-05-01",
            "file": SimpleUploadedFile(name, content, "application/octet-stream"),
        },
    )


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("rapport.pdf", PDF, "pdf"),
        ("karta.png", PNG, "png"),
        ("foto.jpg", JPEG, "jpeg"),
        ("protokoll.docx", _zip("[Content_Types].xml", "word/document.xml"), "docx"),
        ("statistik.xlsx", _zip("[Content_Types].xml", "xl/workbook.xml"), "xlsx"),
        # The type comes from the content: a PDF named .png is a PDF.
        ("fel-namn.png", PDF, "pdf"),
    ],
)
def test_accepted_types_are_recognised_by_content(
    client_for, agreement, member, name, content, kind
):
    response = _upload(client_for(member), agreement, name, content)
    assert response.status_code == HTTPStatus.FOUND
    document = Document.objects.get()
    assert document.kind == kind
    assert document.size == len(content)
    assert document.uploaded_by == member
    assert name not in document.file.name  # stored under a random name


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("skript.pdf", b"<script>alert(1)</script>"),
        ("program.exe", b"MZ\x90\x00" + b"\x00" * 40),
        ("arkiv.docx", _zip("annat/fil.txt")),
        ("trasig.docx", b"PK\x03\x04 not really a zip"),
    ],
)
def test_other_types_are_refused_with_a_clear_error(client_for, agreement, member, name, content):
    response = _upload(client_for(member), agreement, name, content)
    assert response.status_code == HTTPStatus.OK
    text = response.content.decode()
    assert "Filen är inte en PDF-, Word- (DOCX), Excel- (XLSX), PNG- eller JPEG-fil" in text
    assert 'value="Trygghetsmätning 2024"' in text  # what was typed is kept
    assert not Document.objects.exists()


def test_too_large_files_are_refused(client_for, agreement, member, settings):
    settings.PITEBRA_MAX_UPLOAD_MB = 1
    content = PDF + b"0" * (1024 * 1024)
    response = _upload(client_for(member), agreement, "stor.pdf", content)
    assert response.status_code == HTTPStatus.OK
    assert "gränsen är 1 MB" in response.content.decode()
    assert not Document.objects.exists()


def _document(agreement, media, content=PDF):
    (media / "documents").mkdir(exist_ok=True)
    path = media / "documents" / "abc.pdf"
    path.write_bytes(content)
    return Document.objects.create(
        agreement=agreement,
        title="Rapport",
        date=datetime.date(2024, 1, 1),
        file="documents/abc.pdf",
        kind="pdf",
        size=len(content),
        original_name="Lägesrapport <2024>.pdf",
    )


def test_members_download_as_an_attachment_without_sniffing(client_for, agreement, member, media):
    document = _document(agreement, media)
    response = client_for(member).get(
        reverse("plans:document-download", args=[agreement.pk, document.pk])
    )
    assert response.status_code == HTTPStatus.OK
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("role", "status"),
    [("reader", HTTPStatus.FORBIDDEN), ("outsider", HTTPStatus.NOT_FOUND)],
)
def test_others_cannot_download(request, client_for, agreement, media, role, status):
    document = _document(agreement, media)
    user = request.getfixturevalue(role)
    url = reverse("plans:document-download", args=[agreement.pk, document.pk])
    assert client_for(user).get(url).status_code == status


def test_another_agreements_member_gets_404_even_through_their_own_agreement(
    client_for, agreement, other_agreement, media
):
    document = _document(agreement, media)
    stranger = make_member(other_agreement, username="grannen")
    for agreement_pk in (agreement.pk, other_agreement.pk):
        url = reverse("plans:document-download", args=[agreement_pk, document.pk])
        assert client_for(stranger).get(url).status_code == HTTPStatus.NOT_FOUND


def test_a_missing_file_is_404_not_500(client_for, agreement, member, media):
    document = _document(agreement, media)
    (media / "documents" / "abc.pdf").unlink()
    url = reverse("plans:document-download", args=[agreement.pk, document.pk])
    assert client_for(member).get(url).status_code == HTTPStatus.NOT_FOUND


def test_documents_are_not_served_from_a_public_media_url(client, agreement, member, media):
    _document(agreement, media)
    assert client.get("/media/documents/abc.pdf").status_code == HTTPStatus.NOT_FOUND
    client.force_login(member)
    assert client.get("/media/documents/abc.pdf").status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("n", [2, 20])
def test_document_list_shows_what_each_supports_in_fixed_queries(
    client_for, agreement, member, media, django_assert_max_num_queries, n
):
    from ..factories import make_picture, make_problem

    picture = make_picture(agreement, year=2025)
    for i in range(n):
        document = Document.objects.create(
            agreement=agreement,
            title=f"Rapport {i}",
            date=datetime.date(2024, 1, 1),
            file=f"documents/{i}.pdf",
            kind="pdf",
        )
        make_problem(picture, title=f"Problem {i}").documents.add(document)
    client = client_for(member)
    with django_assert_max_num_queries(9):
        page = client.get(reverse("plans:document-list", args=[agreement.pk]))
    assert "Problem 0</a> (2025 v1)" in page.content.decode()
