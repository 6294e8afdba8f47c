"""The floor: a minimal Django view (one template of 10 rows), served like the app."""

import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.template import Context, Engine
from django.urls import path

ROWS = [{"n": n, "title": f"Aktivitet {n}", "status": "Pågår"} for n in range(10)]
TEMPLATE = Engine().from_string(
    "<!doctype html><html lang=sv><title>Minimal</title><table>"
    "{% for r in rows %}<tr><td>{{ r.n }}</td><td>{{ r.title }}</td><td>{{ r.status }}</td>"
    "</tr>{% endfor %}</table></html>"
)


def index(request):
    return HttpResponse(TEMPLATE.render(Context({"rows": ROWS})))


urlpatterns = [path("", index)]

settings.configure(
    DEBUG=False,
    SECRET_KEY="minimal-benchmark-view",  # noqa: S106 – serves no data and no sessions
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=["django.middleware.common.CommonMiddleware"],
)
django.setup()
application = get_wsgi_application()
