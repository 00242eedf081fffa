#!/usr/bin/env bash
# Installs the Debian packages the tests need besides the browser: redis-server, which the
# shared rate-limit tests start on a free loopback port themselves (it is never left running
# as a service by this script). Idempotent; needs root or sudo.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends redis-server >/dev/null
# The package starts a system service on port 6379; the tests start their own instances.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet redis-server 2>/dev/null; then
  $SUDO systemctl stop redis-server || true
fi
redis-server --version
