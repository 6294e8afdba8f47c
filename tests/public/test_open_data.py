"""Open data as a reuser gets it: CSV that Swedish Excel and LibreOffice open with å ä ö intact,
JSON, a Kolada-shaped API, the Atom feed and a DCAT-AP-SE catalogue the data portal accepts.

LibreOffice is not installed on the test machines: the CSV test checks what LibreOffice's
import reads (the BOM that marks UTF-8, the separator, the quoting) by decoding the bytes the
same way, not by opening the file in LibreOffice.
"""

import csv
import datetime
import io
import json
import xml.etree.ElementTree as ET  # noqa: N817

import pytest
from django.urls import reverse
from rdflib import RDF, BNode, Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF

from tests.factories import make_activity, make_goal, make_plan, make_promise, make_strategy


@pytest.fixture
def published(agreement, settings):
    settings.SITE_URL = "http://testserver"
    agreement.public = True
    agreement.public_contact = "trygghet@kommun.example"
    agreement.save()
    agreement.municipality.organisation_number = "212000-2742"
    agreement.municipality.save()
    agreement.police_area.organisation_number = "202100-0076"
    agreement.police_area.save()
    plan = make_plan(agreement, 2024, status="adopted", adopted_on=datetime.date(2024, 2, 1))
    strategy = make_strategy(make_goal(plan, title="Trygg miljö på Västermalm"))
    for n in range(7):
        make_activity(
            strategy,
            title=f'Åtgärd {n}: trygghetsvandring i Öjebyn; "kväll", ärende',
            contact_name="X",
            public=True,
        )
    make_activity(strategy, title='=HYPERLINK("http://x")', contact_name="X", public=True)
    make_promise(plan, promise="Polisen är synlig i Öjebyn")
    return agreement


def test_the_swedish_csv_opens_with_swedish_characters(client, published):
    response = client.get(reverse("public:csv", args=["activities"]))
    raw = response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel and LibreOffice read UTF-8
    text = raw.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 8
    assert rows[0]["title"] == 'Åtgärd 0: trygghetsvandring i Öjebyn; "kväll", ärende'
    assert rows[0]["goal"] == "Trygg miljö på Västermalm"
    assert rows[-1]["title"].startswith("'=")  # never run as a formula


def test_the_plain_csv_has_commas_and_no_bom(client, published):
    raw = client.get(reverse("public:csv-comma", args=["activities"])).content
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
    assert rows[0]["title"] == 'Åtgärd 0: trygghetsvandring i Öjebyn; "kväll", ärende'


def test_every_table_has_json_and_a_readme_of_its_columns(client, published):
    readme = client.get(reverse("public:data-readme")).content.decode()
    for table in ["agreements", "goals", "promises", "activities", "reports"]:
        data = json.loads(client.get(reverse("public:json", args=[table])).content)
        assert isinstance(data, list)
        assert f"## {table}:" in readme
        for column in data[0] if data else {}:
            assert f"`{column}`" in readme, (table, column)
    assert "Offentliga aktiviteter / Public activities" in readme


def test_the_api_pages_like_koladas(client, published):
    url = reverse("public:api", args=["activities"])
    first = json.loads(client.get(url, {"per_page": 5}).content)
    assert set(first) == {"values", "count", "next_page"}
    assert first["count"] == 5 and len(first["values"]) == 5
    second = json.loads(client.get(first["next_page"].removeprefix("http://testserver")).content)
    assert second["count"] == 3 and second["next_page"] is None
    ids = [row["activity_id"] for row in first["values"] + second["values"]]
    assert len(set(ids)) == 8
    assert client.get(url, {"page": "x"}).status_code == 404
    assert client.get(url, {"agreement": "1 OR 1"}).status_code == 404
    assert client.get(reverse("public:api", args=["log_entries"])).status_code == 404


def test_the_feed_lists_published_reports(client, published):
    from followup.models import PublishedReport, YearEndReport
    from tests.factories import make_user

    report = YearEndReport.objects.create(agreement=published, year=2024)
    PublishedReport.objects.create(report=report, version=1, pdf=b"%PDF", published_by=make_user())
    response = client.get(reverse("public:reports-feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed
    entries = root.findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 1
    link = entries[0].find("{http://www.w3.org/2005/Atom}link").get("href")
    assert link.endswith(f"/public/{published.pk}/reports/2024/v1.pdf")


def test_the_dcat_catalogue_has_what_the_portal_requires(client, published):
    response = client.get("/public/dcat.rdf")
    assert response["Content-Type"].startswith("application/rdf+xml")
    graph = Graph().parse(data=response.content, format="xml")
    catalogues = set(graph.subjects(RDF.type, DCAT.Catalog))
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == 5
    root = URIRef("http://testserver/public/dcat.rdf#catalog")
    subs = set(graph.objects(root, DCAT.catalog))
    assert len(subs) == 2  # one per publishing organisation: the municipality and the police
    assert catalogues == subs | {root}
    for catalogue in catalogues:
        assert graph.value(catalogue, DCTERMS.title) and graph.value(catalogue, DCTERMS.publisher)
    publishers = {str(graph.value(sub, DCTERMS.publisher)) for sub in subs}
    assert publishers == {
        "http://dataportal.se/organisation/SE2120002742",
        "http://dataportal.se/organisation/SE2021000076",
    }
    for dataset in datasets:
        assert graph.value(dataset, DCTERMS.title), dataset
        assert graph.value(dataset, DCTERMS.description), dataset
        publisher = graph.value(dataset, DCTERMS.publisher)
        assert str(publisher) in publishers
        assert (publisher, RDF.type, FOAF.Agent) in graph and graph.value(publisher, FOAF.name)
        assert any(dataset in graph.objects(sub, DCAT.dataset) for sub in subs)
        contact = graph.value(dataset, DCAT.contactPoint)
        assert isinstance(contact, URIRef)
        distributions = list(graph.objects(dataset, DCAT.distribution))
        assert len(distributions) == 4
        for distribution in distributions:
            access = graph.value(distribution, DCAT.accessURL)
            assert isinstance(access, URIRef)
            path = str(access).removeprefix("http://testserver")
            assert client.get(path).status_code == 200, path
    # No blank nodes for catalogue, dataset, distribution, publisher or contact: none at all.
    assert not [node for triple in graph for node in triple if isinstance(node, BNode)]


def test_an_organisation_without_a_number_publishes_nothing(client, published):
    published.police_area.organisation_number = ""
    published.police_area.save()
    published.municipality.organisation_number = ""
    published.municipality.save()
    graph = Graph().parse(data=client.get("/public/dcat.rdf").content, format="xml")
    assert not set(graph.subjects(RDF.type, DCAT.Dataset))
