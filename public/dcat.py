"""The DCAT-AP-SE 3.0.1 catalogue of the open data, as RDF/XML at /public/dcat.rdf, for Sweden's
data portal (dataportal.se) to harvest.

One root catalogue with one sub-catalogue per publishing organisation; each public agreement's
tables are datasets, published by the municipality (the citizen promises by the police area,
whose promises they are). Publishers are named by organisation number
(`http://dataportal.se/organisation/SE<number>`); an organisation without one publishes nothing
here. Every catalogue, dataset, distribution, publisher and contact has a URI (no blank nodes).
"""

from collections import defaultdict

from django.urls import reverse
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF

from . import content, opendata

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS_TYPE = Namespace("http://purl.org/adms/publishertype/")
EU = "http://publications.europa.eu/resource/authority/"
THEME_JUSTICE = URIRef(EU + "data-theme/JUST")
ACCESS_PUBLIC = URIRef(EU + "access-right/PUBLIC")
LICENSE = URIRef("http://creativecommons.org/publicdomain/zero/1.0/")
FORMATS = {
    "csv": (URIRef(EU + "file-type/CSV"), "text/csv"),
    "json": (URIRef(EU + "file-type/JSON"), "application/json"),
}
IANA = "https://www.iana.org/assignments/media-types/"


def publisher_of(agreement, table):
    """The organisation that publishes one of an agreement's tables (None if none can)."""
    first, second = agreement.municipality, agreement.police_area
    if table == "promises":
        first, second = second, first
    for organisation in (first, second):
        if organisation.publisher_uri:
            return organisation
    return None


def catalogue_graph():
    graph = Graph()
    for prefix, namespace in [("dcat", DCAT), ("dcterms", DCTERMS), ("foaf", FOAF)]:
        graph.bind(prefix, namespace)
    graph.bind("vcard", VCARD)
    root = URIRef(opendata.absolute(reverse("public:dcat")) + "#catalog")
    by_publisher = defaultdict(list)
    publishers = {}
    for agreement in content.public_agreements():
        for table in opendata.TABLES:
            organisation = publisher_of(agreement, table)
            if organisation is not None:
                publishers[organisation.pk] = organisation
                by_publisher[organisation.pk].append((agreement, table))
    _catalog(graph, root, "PiteBra", _root_publisher(publishers, by_publisher))
    graph.add(
        (
            root,
            DCTERMS.description,
            _sv(
                "Öppna data om brottsförebyggande samverkan mellan polis och kommun: "
                "medborgarlöften, aktiviteter, mål och årsrapporter."
            ),
        )
    )
    for pk, datasets in by_publisher.items():
        organisation = publishers[pk]
        sub = URIRef(f"{root}-SE{organisation.organisation_number.replace('-', '')}")
        graph.add((root, DCAT.catalog, sub))
        _catalog(graph, sub, f"PiteBra – {organisation.name}", organisation)
        graph.add(
            (
                sub,
                DCTERMS.description,
                _sv(f"{organisation.name}s öppna data om brottsförebyggande samverkan."),
            )
        )
        for agreement, table in datasets:
            graph.add((sub, DCAT.dataset, _dataset(graph, agreement, table, organisation)))
    return graph


def catalogue_xml():
    return catalogue_graph().serialize(format="pretty-xml")


def _sv(text):
    return Literal(text, lang="sv")


def _root_publisher(publishers, by_publisher):
    if not publishers:
        return None
    busiest = max(by_publisher, key=lambda pk: (len(by_publisher[pk]), -pk))
    return publishers[busiest]


def _catalog(graph, node, title, organisation):
    graph.add((node, RDF.type, DCAT.Catalog))
    graph.add((node, DCTERMS.title, _sv(title)))
    graph.add((node, FOAF.homepage, URIRef(opendata.absolute(reverse("public:index")))))
    graph.add((node, DCTERMS.language, URIRef(EU + "language/SWE")))
    graph.add((node, DCTERMS.license, LICENSE))
    if organisation is not None:
        graph.add((node, DCTERMS.publisher, _publisher(graph, organisation)))


def _publisher(graph, organisation):
    node = URIRef(organisation.publisher_uri)
    graph.add((node, RDF.type, FOAF.Agent))
    graph.add((node, FOAF.name, _sv(organisation.name)))
    kind = "NationalAuthority" if organisation.kind == "police" else "LocalAuthority"
    graph.add((node, DCTERMS.type, ADMS_TYPE[kind]))
    return node


def _dataset(graph, agreement, table, organisation):
    spec = opendata.TABLES[table]
    page = opendata.absolute(reverse("public:agreement", args=[agreement.pk]))
    index = opendata.absolute(reverse("public:data"))
    node = URIRef(f"{index}#agreement-{agreement.pk}-{table}")
    graph.add((node, RDF.type, DCAT.Dataset))
    place = agreement.municipality.name
    graph.add((node, DCTERMS.title, _sv(f"{spec.title_sv} – {place}")))
    graph.add((node, DCTERMS.title, Literal(f"{spec.title_en} – {place}", lang="en")))
    graph.add(
        (
            node,
            DCTERMS.description,
            _sv(
                f"{spec.title_sv} ur överenskommelsen ”{agreement.title}” "
                f"({agreement.first_year}–{agreement.last_year}). Kolumnerna beskrivs i README."
            ),
        )
    )
    graph.add((node, DCTERMS.identifier, Literal(str(node))))
    graph.add((node, DCTERMS.publisher, _publisher(graph, organisation)))
    graph.add((node, DCAT.theme, THEME_JUSTICE))
    graph.add((node, DCTERMS.accessRights, ACCESS_PUBLIC))
    graph.add((node, DCAT.landingPage, URIRef(page)))
    for word in ("brottsförebyggande", "trygghet", "medborgarlöften", place):
        graph.add((node, DCAT.keyword, _sv(word)))
    if agreement.public_contact:
        contact = URIRef(f"{page}#contact")
        graph.add((node, DCAT.contactPoint, contact))
        graph.add((contact, RDF.type, VCARD.Organization))
        graph.add((contact, VCARD.fn, _sv(f"{organisation.name}, {place}")))
        graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{agreement.public_contact}")))
    names = [
        ("agreement-csv", "csv", "CSV (UTF-8 med BOM, semikolon)"),
        ("agreement-csv-comma", "csv", "CSV (UTF-8, kommatecken)"),
        ("agreement-json", "json", "JSON"),
    ]
    for url_name, kind, title in names:
        url = opendata.absolute(reverse(f"public:{url_name}", args=[agreement.pk, table]))
        graph.add((node, DCAT.distribution, _distribution(graph, url, kind, title)))
    api = opendata.absolute(reverse("public:api", args=[table])) + f"?agreement={agreement.pk}"
    graph.add((node, DCAT.distribution, _distribution(graph, api, "json", "API (JSON)")))
    return node


def _distribution(graph, url, kind, title):
    node = URIRef(url + "#distribution")
    file_type, media_type = FORMATS[kind]
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCAT.accessURL, URIRef(url)))
    graph.add((node, DCAT.downloadURL, URIRef(url)))
    graph.add((node, DCTERMS.title, _sv(title)))
    graph.add((node, DCTERMS.format, file_type))
    graph.add((node, DCAT.mediaType, URIRef(IANA + media_type)))
    graph.add((node, DCTERMS.license, LICENSE))
    return node
