#!/bin/sh
# Installs the Debian packages sls needs to build, run and test. Idempotent:
# packages already present are left alone and apt is only called when
# something is missing. Run as root (or with sudo available).
set -eu

PACKAGES="build-essential cmake pkg-config clang-format
libmicrohttpd-dev libsodium-dev libssl-dev libsqlite3-dev libjansson-dev
libcmocka-dev libcurl4-openssl-dev libinih-dev libpq-dev libgmime-3.0-dev
python3 python3-pytest sqlite3 curl"

if [ "${1:-}" = "--test" ]; then
	PACKAGES="$PACKAGES librsvg2-bin"
fi

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
