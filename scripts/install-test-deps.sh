#!/bin/sh
# Installs what the test suite needs on a Debian machine (run as root):
# Debian packages for the real-part tests, then the exact npm dependencies.
set -eu
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
PKGS="zookeeper debhelper lintian dpkg-dev fakeroot cron faketime chromium util-linux mount hostname man-db perl git bash time mmdebstrap locales prometheus-node-exporter prometheus"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq $missing
fi
npm ci --no-audit --no-fund
