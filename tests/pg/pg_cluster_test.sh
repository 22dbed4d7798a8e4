#!/bin/sh
# The ctest pg_cluster: starts a throwaway cluster with scripts/pg-cluster.sh,
# runs the libpq round trip (pg_roundtrip) against it, checks that stop is
# safe twice and refuses a folder it did not create, and always stops the
# cluster. Exits 77 (skipped) only when no PostgreSQL server is installed.
#   pg_cluster_test.sh PG_CLUSTER_SH PG_ROUNDTRIP
set -eu
[ $# -eq 2 ] || {
	echo "usage: pg_cluster_test.sh PG_CLUSTER_SH PG_ROUNDTRIP" >&2
	exit 2
}
cluster=$1
roundtrip=$2

# The temporary folder rather than the build folder: the path must stay short (a Unix socket),
# and when run as root the cluster's user must be able to reach it.
dir=$(mktemp -d "${TMPDIR:-/tmp}/sls-pg.XXXXXX")
other=""
cleanup() {
	status=$?
	[ "$status" -eq 0 ] || [ "$status" -eq 77 ] || echo "pg_cluster: FAILED (exit $status)" >&2
	sh "$cluster" stop "$dir" >/dev/null 2>&1 || true
	# A start that failed before it wrote its marker left the folder empty.
	rmdir "$dir" 2>/dev/null || true
	[ -z "$other" ] || rmdir "$other" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

rc=0
url=$(sh "$cluster" start "$dir") || rc=$?
if [ "$rc" -eq 77 ]; then
	rmdir "$dir"
	echo "pg_cluster: skipped, no PostgreSQL server installed"
	exit 77
fi
[ "$rc" -eq 0 ] || exit 1
echo "pg_cluster: started, $url"

"$roundtrip" "$url"

# A second start on the same folder is refused: it is not empty.
if sh "$cluster" start "$dir" >/dev/null 2>&1; then
	echo "pg_cluster: FAILED, a second start on $dir was accepted" >&2
	exit 1
fi

# stop refuses a folder without the marker and leaves it alone.
other=$(mktemp -d "${TMPDIR:-/tmp}/sls-pg.XXXXXX")
if sh "$cluster" stop "$other" 2>/dev/null; then
	echo "pg_cluster: FAILED, stop accepted a folder it did not create" >&2
	exit 1
fi
[ -d "$other" ] || {
	echo "pg_cluster: FAILED, stop removed a folder it did not create" >&2
	exit 1
}

sh "$cluster" stop "$dir"
[ ! -e "$dir" ] || {
	echo "pg_cluster: FAILED, $dir is still there after stop" >&2
	exit 1
}
sh "$cluster" stop "$dir"
# The server is gone: connecting again fails.
if "$roundtrip" "$url" 2>/dev/null; then
	echo "pg_cluster: FAILED, the server still answers after stop" >&2
	exit 1
fi
echo "pg_cluster: passed"
