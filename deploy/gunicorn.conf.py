"""gunicorn settings for PiteBra: `gunicorn -c deploy/gunicorn.conf.py` from the project root.

Environment: GUNICORN_BIND (default 127.0.0.1:8000, behind the reverse proxy),
GUNICORN_WORKERS (default 2 per core + 1). PDFs are made by the background worker, so no
request needs a long timeout.
"""

import multiprocessing
import os

wsgi_app = "pitebra.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
timeout = 30
graceful_timeout = 30
# A worker is replaced now and then, so a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# The proxy on the same machine sets X-Forwarded-Proto; nobody else is believed.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Request line and headers as gunicorn limits them; the body limit lives in the proxy.
limit_request_line = 8190
