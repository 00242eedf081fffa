#!/usr/bin/env bash
# Installs Debian's Chromium and ChromeDriver for the browser tests (playwright cannot download
# browsers on these machines). Idempotent; needs root or sudo.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium chromium-driver fonts-dejavu-core >/dev/null
/usr/bin/chromium --version
