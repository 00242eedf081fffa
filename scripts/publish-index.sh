#!/usr/bin/env bash
# Publish a new index to a running simqa server, without a torn answer and without a restart:
#   1. `simqa index` builds the new index in a folder beside the current one and switches the
#      index/CURRENT pointer atomically at the end (killed half way, the old index stays current);
#   2. `kill -HUP` makes gunicorn start new workers, which load the new index, and stop the old
#      workers once their requests are answered. Each worker holds one index in memory, so every
#      answer comes from one index and says which (`corpus_version`).
# Needs SIMQA_PIDFILE: the pid file the server was started with (SIMQA_PIDFILE=... simqa serve).
# Usage: SIMQA_PIDFILE=/run/simqa.pid scripts/publish-index.sh [simqa index options]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
simqa="${SIMQA_BIN:-$here/.venv/bin/simqa}"
pidfile="${SIMQA_PIDFILE:?set SIMQA_PIDFILE to the pid file the server was started with}"
"$simqa" index "$@"
pid="$(cat "$pidfile")"
kill -HUP "$pid"
echo "simqa (pid $pid) is reloading: new workers load the new index; old ones finish first"
