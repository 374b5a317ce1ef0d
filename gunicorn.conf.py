"""gunicorn settings for Attaché: `gunicorn -c gunicorn.conf.py` (see docs/deploy.md).

Everything that differs between machines comes from the environment, like the Django settings.
"""

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _cores() -> int:
    # The CPUs this process may use (a container's cpuset), not every CPU of the host.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


# Each worker holds its own PostgreSQL connection (CONN_MAX_AGE) and 150-250 MB once Wagtail is loaded: past 8 a
# worker buys little on one machine, and several web servers plus the task workers must stay under PostgreSQL's
# max_connections (100 by default). Set WEB_CONCURRENCY to choose another number.
MAX_DEFAULT_WORKERS = 8

wsgi_app = "attache.wsgi:application"  # production settings unless DJANGO_SETTINGS_MODULE says otherwise
proc_name = "attache"

# Loopback by default: the proxy in front (nginx) is the only thing that talks to gunicorn. Set GUNICORN_BIND to
# 0.0.0.0:8000 (or a unix:/run/attache.sock) when the proxy is on another machine.
bind = [address.strip() for address in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",") if address.strip()]

workers = _int("WEB_CONCURRENCY", min(2 * _cores() + 1, MAX_DEFAULT_WORKERS))

# Sync workers: one request at a time per process. The pages are CPU-bound (templates, ORM, PDFs), and nginx
# buffers slow clients' requests and responses, so threads would only add contention. GUNICORN_THREADS > 1 turns
# the workers into gthread workers if a deployment has no buffering proxy.
worker_class = "sync"
threads = _int("GUNICORN_THREADS", 1)

# Most pages answer in tens of milliseconds; the slowest are PDFs built while the person waits (evaluation report,
# handbook). Anything longer belongs in a django-q2 task (like the session pack), so a stuck worker is killed.
timeout = _int("GUNICORN_TIMEOUT", 60)
# On a restart (deploy, SIGTERM), requests under way get this long to finish before their worker is killed.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5  # only gthread workers keep connections open; the proxy re-uses them

# Recycle each worker after about ten thousand requests: whatever a library leaks is returned to the system (fewer
# and a loaded server restarts its workers every second, as the benchmark showed). The jitter
# keeps the workers from all restarting at the same moment.
max_requests = _int("GUNICORN_MAX_REQUESTS", 10000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 1000)

# Load Django once in the master, then fork: less memory per worker and an import error stops the start instead of
# every worker crash-looping. Nothing opens a database connection at import time, so none is shared across forks.
# The price: a code change needs a restart (systemctl restart), not a HUP.
preload_app = True

# Only the proxy's addresses may say that the request came over HTTPS (X-Forwarded-Proto): anyone else could claim
# it. Django reads the same header (SECURE_PROXY_SSL_HEADER). Comma-separated addresses or networks.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

# The heartbeat file is touched constantly: in memory it never waits on a slow disk (containers, network volumes).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Logs to stdout/stderr for the supervisor (systemd journal, docker) to collect. The access log gives the client
# address as the proxy saw it, the status, the size and the time taken in milliseconds; never the referrer, which
# can carry a personal link's token.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%({x-forwarded-for}i)s %(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

# gunicorn's control socket defaults to one path in $HOME shared by every instance on the machine; it is off unless
# a path of this instance's own is given.
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET", "").strip()
if not control_socket_disable:
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"].strip()
