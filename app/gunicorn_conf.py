"""gunicorn settings for simqa: `gunicorn -c python:app.gunicorn_conf app.wsgi:app`.

Environment: SIMQA_HOST (127.0.0.1), SIMQA_PORT (8000), SIMQA_WORKERS (2), SIMQA_THREADS (16),
SIMQA_TORCH_THREADS (1, torch threads per worker), SIMQA_TIMEOUT (120 s), SIMQA_PIDFILE (none;
`kill -HUP` of that pid reloads the workers, e.g. after `simqa index`).
Command-line flags (e.g. --bind) override these.
"""

from __future__ import annotations

import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


host = os.environ.get("SIMQA_HOST", "").strip() or "127.0.0.1"
port = _int("SIMQA_PORT", 8000)
bind = [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"]

# Each worker is a separate process with its own engine (no preload: torch and FAISS are not
# fork-safe once used). Threads share the worker's engine read-only.
workers = _int("SIMQA_WORKERS", 2)
worker_class = "gthread"
# More threads than SIMQA_MAX_IN_FLIGHT (12), so a thread is always free to answer "busy" (503)
# at once instead of leaving requests queued behind slow ones.
threads = _int("SIMQA_THREADS", 16)
preload_app = False

# A worker loads the model and index before serving (about 10 s; longer if it builds the index).
timeout = _int("SIMQA_TIMEOUT", 120)
graceful_timeout = 30
keepalive = 5

# gunicorn >= 24 opens a control socket in the home folder; several servers on one machine
# (tests, a second instance) would share that path, and simqa does not use it.
control_socket_disable = True

# Requests are small JSON; these bound what a client can make the server hold.
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190

# Torch reads these when it is first imported, which happens in each worker after the fork.
_torch_threads = str(max(_int("SIMQA_TORCH_THREADS", 1), 1))
os.environ.setdefault("SIMQA_TORCH_THREADS", _torch_threads)
os.environ.setdefault("OMP_NUM_THREADS", _torch_threads)
os.environ.setdefault("MKL_NUM_THREADS", _torch_threads)
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

# A graceful reload (`kill -HUP <pid>`) starts workers that load the current index, then
# stops the old ones once their requests are done (docs/operations.md).
pidfile = os.environ.get("SIMQA_PIDFILE", "").strip() or None

# Logs: no client address, no path as typed, no query string, no request headers
# (app/logging_setup.py). The access log writes the matched route, e.g. /api/sources/<source_id>.
logger_class = "app.logging_setup.PrivateLogger"
accesslog = "-"
errorlog = "-"
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms rid=%({x-request-id}o)s'


def when_ready(server) -> None:
    """Print the address to open (workers still need ~10 s to load the model)."""
    for listener in server.LISTENERS:
        url = (
            str(listener)
            .replace("://0.0.0.0:", "://localhost:")
            .replace("://[::]:", "://localhost:")
        )
        print(f"simqa is starting: open {url}/ in a browser", flush=True)


# Heavy third-party libraries, imported once in the master before the fork: every worker starts
# with them in memory (shared copy-on-write) and loads only the model weights and the index, in
# about a second, instead of all workers paying the import at once on the same cores (first
# answer after start about half as long; bench/README.md, benchmark 4). Nothing is run here:
# no model, no index, no thread pool. simqa and app modules are not imported, so a reload
# (`kill -HUP`) still starts workers on the current simqa code.
PRELOAD_MODULES = ("numpy", "torch", "transformers", "sentence_transformers", "faiss", "bm25s",
                   "flask")


def on_starting(server) -> None:
    import importlib

    for name in PRELOAD_MODULES:
        try:
            importlib.import_module(name)
        except Exception:  # a worker that needs it reports the failure itself
            server.log.warning("could not preload %s", name)


def post_worker_init(worker) -> None:
    import sys

    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(int(_torch_threads))
    worker.log.info("simqa worker %s ready", worker.pid)
