#!/bin/sh
# Installs the Debian packages sls needs to build, run and test. Idempotent:
# packages already present are left alone and apt is only called when
# something is missing (mandoc and man-db check the man pages, ctest
# install.man). Run as root (or with sudo available). With --test it also
# installs systemd (systemd-analyze checks the unit, ctest install.tree),
# dpkg-dev and file (cpack -G DEB runs dpkg-shlibdeps, ctest install.deb),
# lintian (install.deb checks the package with it), systemd-container
# (systemd-nspawn boots the package in a container, ctest install.systemd),
# freeradius-utils and pamtester (the RADIUS and PAM tests), oathtool (the API
# tests compute authenticator app codes with it), python3-cbor2 (the passkey
# tests' software authenticator builds its CBOR with it), the PostgreSQL server
# (the ctest pg_cluster starts its own
# throwaway cluster with scripts/pg-cluster.sh; libpq-dev, its client, is a
# build package), Chromium and the browser tests' npm packages (playwright-core,
# from tests/browser/package-lock.json; never a browser download), again only
# when they are missing or the lock file changed since the last install; and
# HAProxy (the multi-node tests, tests/multinode, put it in front of three nodes).
set -eu

PACKAGES="build-essential cmake pkg-config clang-format mandoc man-db
libmicrohttpd-dev libsodium-dev libssl-dev libsqlite3-dev libjansson-dev
libcmocka-dev libcurl4-openssl-dev libpq-dev libgmime-3.0-dev libpam0g-dev
libqrencode-dev libxml2-dev libcbor-dev
python3 python3-pytest python3-pytest-xdist sqlite3 curl"

if [ "${1:-}" = "--test" ]; then
	# freeradius-utils (radclient) and pamtester drive tests/api/test_radius.py and test_pam.py;
	# haproxy fronts the multi-node tests.
	PACKAGES="$PACKAGES systemd systemd-container lintian dpkg-dev file postgresql librsvg2-bin chromium haproxy freeradius-utils pamtester oathtool python3-cbor2"
	# node and npm for the browser tests; a node installed otherwise is kept.
	if ! command -v npm >/dev/null 2>&1; then
		PACKAGES="$PACKAGES nodejs npm"
	fi
fi

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

if [ -n "$missing" ]; then
	SUDO=""
	if [ "$(id -u)" -ne 0 ]; then
		SUDO="sudo"
	fi
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -qq --no-install-recommends $missing
fi

# The browser tests' node_modules, installed by `npm ci` only when missing or
# older than the lock file (the stamp records the lock it was installed from).
if [ "${1:-}" = "--test" ]; then
	dir=$(cd "$(dirname "$0")/../tests/browser" && pwd)
	stamp="$dir/node_modules/.sls-lock-stamp"
	if [ ! -f "$stamp" ] || ! cmp -s "$stamp" "$dir/package-lock.json"; then
		echo "deps: npm ci in tests/browser"
		if ! (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts); then
			echo "deps: npm ci failed in tests/browser" >&2
			exit 1
		fi
		cp "$dir/package-lock.json" "$stamp"
	fi
fi
