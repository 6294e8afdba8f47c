"""The year-end report: content, accessibility markers, safety, publishing and access.

One module past 300 lines: the tests share the demo's PDF and the PDF reading helpers at the
top; the report's figures, worker and PDF/UA checks have modules of their own.
"""

import hashlib
import io
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from followup.models import PublishedReport
from followup.report.content import build_report
from followup.report.pdf import StaticOnlyFetcher, render_pdf
from followup.report.render import report_pdf
from followup.services import report_publish
from plans.models import Activity

from ..factories import (
    make_activity,
    make_cause,
    make_indicator,
    make_log_entry,
    make_observation,
    make_organisation,
    make_picture,
    make_plan_tree,
    make_problem,
)


def pdf_text(data):
    """The PDF's text with line breaks and runs of spaces folded to single spaces."""
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


@pytest.fixture
def pitea_pdf(demo):
    return report_pdf(demo["pitea"], 2024)


def test_report_contains_the_years_activities_figures_and_swedish_text(demo, pitea_pdf):
    text = pdf_text(pitea_pdf)
    assert "Gemensamt brottsförebyggande arbete 2024" in text
    assert "Piteå kommun" in text and "Lokalpolisområde Piteå älvdal" in text
    for title in [
        "SSPF-möten varannan vecka",
        "Trygghetsvandring i Centrum",
        "Grannsamverkan i Hortlax och Norrfjärden",
    ]:
        assert title in text
    assert "Planen hade 21 aktiviteter." in text
    assert "Medborgarlöften" in text
    assert "Sida 1 av" in text
    assert "Arbetsgruppen höll 4 möten under året." in text
    assert "Rådets självvärdering: medelpoäng per påstående" in text
    assert "Medborgardialoger: 3 totalt. Uppfyllt." in text
    assert "Operativt arbete per mål 2024" in text


def test_sections_without_data_say_so(agreement):
    make_plan_tree(agreement, year=2024, activities=1)
    text = pdf_text(report_pdf(agreement, 2024))
    for plainly in [
        "Ingen gemensam lägesbild har registrerats för året.",
        "Inget operativt arbete har registrerats för året.",
        "Inga möten har registrerats för året.",
        "Rådets självvärdering har inte genomförts för året.",
        "Inga indikatorer har registrerats, så ingen effekt kan visas.",
        "Inga medborgarlöften gavs för året.",
        "Samordnarna har ännu inte skrivit några slutsatser.",
    ]:
        assert plainly in text


def test_report_is_a_tagged_pdf_ua_document_in_swedish(pitea_pdf):
    reader = PdfReader(io.BytesIO(pitea_pdf))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert reader.metadata.title.startswith("Årsrapport 2024")
    assert 'pdfuaid:part="1"' in reader.xmp_metadata.rdf_root.toxml()


class _Counting(BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):  # noqa: N802
        type(self).hits += 1
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"GIF89a")

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Counting.hits = 0
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def hostile(url):
    return [
        '<img src="file:///etc/passwd">',
        '<link rel="attachment" href="file:///etc/passwd">',
        f'<div style="background: url({url}/css.png)">x</div>',
        f'<img src="{url}/img.png">',
        "<style>@import url(file:///etc/passwd);</style>",
    ]


def test_the_fetcher_refuses_everything_but_static_files_and_data(local_server):
    fetcher = StaticOnlyFetcher()
    html = (
        '<html lang="sv"><head><title>t</title><link rel="stylesheet" href="css/report.css">'
        + "".join(hostile(local_server))
        + '</head><body><h1>Hej</h1><img alt="ok" src="data:image/gif;base64,'
        'R0lGODlhAQABAAAAACw="></body></html>'
    )
    data = render_pdf(html, fetcher=fetcher)
    assert _Counting.hits == 0
    assert "file:///etc/passwd" in fetcher.refused
    assert f"{local_server}/img.png" in fetcher.refused
    reader = PdfReader(io.BytesIO(data))
    assert reader.attachments == {}
    assert "root:" not in pdf_text(data)


def test_user_text_in_the_report_is_escaped_and_fetches_nothing(
    agreement, member, local_server, monkeypatch
):
    requested = []
    original = StaticOnlyFetcher.fetch

    def spy(self, url, headers=None):
        requested.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(StaticOnlyFetcher, "fetch", spy)
    _, strategy = make_plan_tree(agreement, year=2024, activities=0)
    for n, payload in enumerate(hostile(local_server)):
        make_activity(
            strategy,
            title=f"Aktivitet {n} {payload}"[:300],
            traffic_light="red",
            traffic_light_comment=payload,
        )
    data = report_pdf(agreement, 2024)
    assert _Counting.hits == 0
    assert [u for u in requested if not u.startswith("data:")] == [
        (settings.BASE_DIR / "static" / "css" / "report.css").as_uri()
    ]
    assert PdfReader(io.BytesIO(data)).attachments == {}
    text = pdf_text(data)
    assert '<img src="file:///etc/' in text  # shown as text, not followed
    assert "root:" not in text


def test_publishing_freezes_the_bytes_and_corrections_are_new_versions(
    client_for, agreement, coordinator, member
):
    _, strategy = make_plan_tree(agreement, year=2024, activities=2)
    client = client_for(coordinator)
    response = client.post(
        reverse("followup:report-publish", args=[agreement.pk, 2024]), {"understood": "on"}
    )
    assert response.status_code == HTTPStatus.FOUND
    first = PublishedReport.objects.get()
    url = reverse("followup:report-download", args=[agreement.pk, 2024, 1])

    colleague = Client()
    colleague.force_login(member)
    one, two = client.get(url).content, colleague.get(url).content
    assert hashlib.sha256(one).hexdigest() == hashlib.sha256(two).hexdigest() == first.sha256

    Activity.objects.update(title="Ändrad efter publicering")
    assert client.get(url).content == one
    assert "Ändrad efter publicering" not in pdf_text(one)

    publish = reverse("followup:report-publish", args=[agreement.pk, 2024])
    refused = client.post(publish, {"understood": "on"})
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert "Skriv vad rättelsen rättar" in refused.content.decode()
    again = client.post(publish, {"reason": "Aktiviteternas namn var fel.", "understood": "on"})
    assert again.status_code == HTTPStatus.FOUND, again.content[:500]
    second = PublishedReport.objects.get(version=2)
    assert second.correction_reason == "Aktiviteternas namn var fel."
    second_text = pdf_text(bytes(second.pdf))
    assert "Ändrad efter publicering" in second_text
    assert "Rättar version 1: Aktiviteternas namn var fel." in second_text
    listing = client.get(reverse("followup:report-list", args=[agreement.pk])).content.decode()
    assert "Aktiviteternas namn var fel." in listing
    assert client.get(url).content == one  # version 1 stays available
    with pytest.raises(ValidationError) as refused:
        first.save()
    assert refused.value.code == "immutable"
    with pytest.raises(ValidationError):
        first.delete()
    assert PublishedReport.objects.count() == 2


def test_readers_get_published_reports_but_never_drafts(
    client_for, agreement, coordinator, reader, outsider
):
    make_plan_tree(agreement, year=2024, activities=1)
    report_publish(agreement=agreement, year=2024, by=coordinator)
    client = client_for(reader)
    assert client.get(reverse("followup:report-list", args=[agreement.pk])).status_code == 200
    download = client.get(reverse("followup:report-download", args=[agreement.pk, 2024, 1]))
    assert download.status_code == HTTPStatus.OK
    assert download["Content-Type"] == "application/pdf"
    for name in ["followup:report-preview", "followup:report-draft-pdf", "followup:report-edit"]:
        assert client.get(reverse(name, args=[agreement.pk, 2024])).status_code == 403
    assert (
        client.post(
            reverse("followup:report-publish", args=[agreement.pk, 2024]), {"understood": "on"}
        ).status_code
        == 403
    )
    other = client_for(outsider)
    assert (
        other.get(reverse("followup:report-download", args=[agreement.pk, 2024, 1])).status_code
        == 404
    )


def test_members_download_drafts_and_preview_in_the_browser(client_for, agreement, member):
    make_plan_tree(agreement, year=2024, activities=1)
    client = client_for(member)
    draft = client.get(reverse("followup:report-draft-pdf", args=[agreement.pk, 2024]))
    assert draft.status_code == 200 and draft.content.startswith(b"%PDF")
    assert "Utkast" in pdf_text(draft.content)
    preview = client.get(reverse("followup:report-preview", args=[agreement.pk, 2024])).content
    document = reverse("followup:report-preview-document", args=[agreement.pk, 2024])
    assert f'src="{document}"' in preview.decode()
    framed = client.get(document)
    assert "Aktivitet nr 0" in framed.content.decode()
    assert framed["X-Frame-Options"] == "SAMEORIGIN"
    # Only our own pages may frame it; every other page may not be framed at all.
    assert "frame-ancestors 'self'" in framed["Content-Security-Policy"]
    assert (
        "frame-ancestors 'none'"
        in client.get(reverse("followup:report-preview", args=[agreement.pk, 2024]))[
            "Content-Security-Policy"
        ]
    )


def test_report_queries_do_not_grow_with_the_number_of_activities(
    agreement, django_assert_max_num_queries
):
    _, strategy = make_plan_tree(agreement, year=2024, activities=2)
    picture = make_picture(agreement, 2024)
    make_cause(make_problem(picture))
    make_observation(make_indicator(agreement), 2024, 10)
    with django_assert_max_num_queries(45) as small:
        build_report(agreement, 2024)
    for n in range(10):
        indicator = make_indicator(agreement)
        for year in (2023, 2024):
            make_observation(indicator, year, n + year, scope="country")
            make_observation(indicator, year, n)
        make_cause(make_problem(picture))
    partners = [make_organisation() for _ in range(3)]
    for n in range(50):
        activity = make_activity(
            strategy,
            title=f"Extra {n}",
            partners=partners,
            responsible_organisation=partners[n % 3],
        )
        make_log_entry(activity)
        make_log_entry(activity)
    with django_assert_max_num_queries(len(small.captured_queries)):
        content = build_report(agreement, 2024)
    assert content.total_activities == 52


def test_coordinators_write_the_narrative_that_the_report_prints(
    client_for, agreement, coordinator
):
    make_plan_tree(agreement, year=2024, activities=1)
    client = client_for(coordinator)
    client.post(
        reverse("followup:report-edit", args=[agreement.pk, 2024]),
        {
            "foreword": "Ett år av samverkan.",
            "conclusions": "Håll i, håll ut.",
            "proposed_revisions": "Fler trygghetsvandringar i Öjebyn.",
        },
    )
    text = pdf_text(report_pdf(agreement, 2024))
    assert "Ett år av samverkan." in text
    assert "Fler trygghetsvandringar i Öjebyn." in text


def test_command_writes_the_same_report(demo, tmp_path):
    out = tmp_path / "rapport.pdf"
    call_command(
        "yearend_report", agreement=demo["pitea"].pk, year=2024, output=out, stdout=io.StringIO()
    )
    assert pdf_text(out.read_bytes()) == pdf_text(report_pdf(demo["pitea"], 2024))


def test_report_has_the_situation_picture_and_indicators_against_the_country(demo, pitea_pdf):
    text = pdf_text(pitea_pdf)
    assert "Version 1 av lägesbilden godkändes av polisen och kommunen" in text
    assert "Unga samlas och dricker alkohol i centrum på helgkvällar" in text
    assert "Indikatorer 2023 och 2024, i kommunen och i hela riket" in text
    assert "Anmälda våldsbrott" in text
    assert "Bilaga A. Indikatorer och källor" in text
    assert "Kolada" in text


def test_effect_verdict_follows_the_better_direction(agreement):
    from followup.report.content import IndicatorEffect
    from plans.models import Indicator

    lower = Indicator(agreement=agreement, name="Brott", better=Indicator.Better.LOWER)
    higher = Indicator(agreement=agreement, name="Trygga", better=Indicator.Better.HIGHER)

    def verdict(indicator, before, after):
        return IndicatorEffect(indicator, before, after, None, None, {}).verdict

    assert verdict(lower, 100, 90) == "better"
    assert verdict(lower, 90, 100) == "worse"
    assert verdict(higher, 80, 85) == "better"
    assert verdict(higher, 85, 80) == "worse"
    assert verdict(higher, 85, 85) == "unchanged"
    assert verdict(higher, None, 85) is None
