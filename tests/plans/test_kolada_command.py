"""`import_kolada` against a local fake Kolada: pagination, errors and timeouts."""

import json
import threading
import time
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from plans.models import Observation

from ..factories import make_agreement, make_indicator, make_organisation

# A flush by an earlier live-server test in the same process empties the register.
pytestmark = pytest.mark.usefixtures("municipality_register")

PAGE_1 = {
    "values": [
        {
            "kpi": "N07540",
            "municipality": "2581",
            "period": 2022,
            "values": [
                {"gender": "T", "value": 8470.2, "count": 1, "status": ""},
                {"gender": "K", "value": None, "count": 0, "status": "Missing"},
            ],
        },
        {
            "kpi": "N07540",
            "municipality": "0000",
            "period": 2022,
            "values": [{"gender": "T", "value": 13840.0, "count": 1, "status": ""}],
        },
    ],
    "count": 3,
    "next_page": "/v3/data/kpi/N07540/municipality/2581,0000/year/2022,2023?page=2",
}
PAGE_2 = {
    "values": [
        {
            "kpi": "N07540",
            "municipality": "2581",
            "period": 2023,
            "values": [{"gender": "T", "value": 8120.5, "count": 1, "status": ""}],
        }
    ],
    "count": 3,
}


class FakeKolada(BaseHTTPRequestHandler):
    """Answers like Kolada's v3 API; `mode` chooses the misbehaviour."""

    mode = "ok"
    requests: list[str] = []

    def do_GET(self):
        type(self).requests.append(self.path)
        if self.mode == "error":
            self._send(500, b'{"error": "internal"}')
        elif self.mode == "invalid":
            self._send(200, b"<html>maintenance</html>")
        elif self.mode == "hang-up":
            self.close_connection = True
            self.wfile.write(b'HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{"values": [')
        elif self.mode == "slow":
            time.sleep(3.0)
            self._send(200, json.dumps(PAGE_2).encode())
        elif self.mode == "error-on-page-2" and "page=2" in self.path:
            self._send(503, b"")
        elif "page=2" in self.path:
            self._send(200, json.dumps(PAGE_2).encode())
        else:
            self._send(200, json.dumps(PAGE_1).encode())

    def _send(self, status, body):
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (the timeout case)

    def log_message(self, *args):
        pass


@pytest.fixture
def kolada(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeKolada)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    FakeKolada.mode = "ok"
    FakeKolada.requests = []
    settings.KOLADA_BASE_URL = f"http://127.0.0.1:{server.server_address[1]}/v3"
    # Long enough for an answer on a busy CI machine (0.3 s was not), shorter than "slow".
    settings.KOLADA_TIMEOUT = 2.0
    yield FakeKolada
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def pitea(db):
    municipality = make_organisation(name="Piteå kommun", kind="municipality", kolada_id="2581")
    agreement = make_agreement(municipality=municipality)
    make_indicator(agreement, name="Anmälda brott", kolada_kpi="N07540")
    return agreement


def _run(*extra):
    out = StringIO()
    call_command(
        "import_kolada",
        "--kpi",
        "N07540",
        "--municipality",
        "2581,0000",
        "--years",
        "2022-2023",
        *extra,
        stdout=out,
    )
    return out.getvalue()


def _saved():
    return sorted(Observation.objects.values_list("year", "scope", "gender", "value"))


EXPECTED = [
    (2022, "country", "T", Decimal("13840.000")),
    (2022, "municipality", "T", Decimal("8470.200")),
    (2023, "municipality", "T", Decimal("8120.500")),
]


def test_fetches_every_page_and_saves_the_values(kolada, pitea):
    output = _run()
    assert _saved() == EXPECTED
    assert kolada.requests == [
        "/v3/data/kpi/N07540/municipality/2581,0000/year/2022,2023",
        "/v3/data/kpi/N07540/municipality/2581,0000/year/2022,2023?page=2",
    ]
    assert "3 new and 0 updated" in output
    assert "1 empty values skipped" in output


def test_running_again_creates_no_duplicates(kolada, pitea):
    _run()
    output = _run("--agreement", str(pitea.pk))
    assert _saved() == EXPECTED
    assert "0 new and 0 updated" in output


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("error", "500"),
        ("invalid", "JSON"),
        ("slow", r"within 2(\.0)? seconds"),
        ("error-on-page-2", "503"),
        ("hang-up", "could not be reached"),
    ],
)
def test_errors_and_timeouts_save_nothing(kolada, pitea, mode, message):
    kolada.mode = mode
    with pytest.raises(CommandError, match=message) as error:
        _run()
    assert "Nothing was saved" in str(error.value)
    assert not Observation.objects.exists()


def test_unreachable_server_is_a_clear_error(settings, pitea):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeKolada)
    port = server.server_address[1]
    server.server_close()  # nothing listens there any more
    settings.KOLADA_BASE_URL = f"http://127.0.0.1:{port}/v3"
    with pytest.raises(CommandError, match="Nothing was saved"):
        _run()
    assert not Observation.objects.exists()


def test_the_agreement_is_found_from_the_municipality_or_asked_for(kolada, db):
    with pytest.raises(CommandError, match="--agreement"):
        _run()
    with pytest.raises(CommandError, match="No agreement has the id 999999"):
        _run("--agreement", "999999")


def test_a_kpi_without_an_indicator_saves_nothing(kolada, pitea):
    pitea.indicators.update(kolada_kpi="N00000")
    with pytest.raises(CommandError, match="N07540"):
        _run()
    assert not Observation.objects.exists()


@pytest.mark.parametrize("years", ["2019-20x5", "1800-1801", ""])
def test_bad_years_are_refused(kolada, pitea, years):
    with pytest.raises(CommandError, match="--years"):
        call_command("import_kolada", "--kpi", "N07540", "--municipality", "2581", "--years", years)
    assert kolada.requests == []
