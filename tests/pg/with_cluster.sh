#!/bin/sh
# Runs one command against a throwaway PostgreSQL cluster: starts it with
# scripts/pg-cluster.sh in a new temporary folder, runs the command with
# SLS_TEST_STORE_URL set to the cluster's URL (and SLS_TEST_PG_DIR, its folder,
# and SLS_TEST_PG_CLUSTER, the script, so that a test can pause, resume or
# restart the server), and always stops the cluster.
# Exits with the command's status, or 77 (skipped) when no PostgreSQL server
# is installed. Each run has its own cluster, so runs in parallel do not meet.
#   with_cluster.sh PG_CLUSTER_SH COMMAND [ARG...]
set -u
[ $# -ge 2 ] || {
	echo "usage: with_cluster.sh PG_CLUSTER_SH COMMAND [ARG...]" >&2
	exit 2
}
cluster=$1
shift

# The temporary folder rather than the build folder: the path must stay short (a Unix socket),
# and when run as root the cluster's user must be able to reach it.
dir=$(mktemp -d "${TMPDIR:-/tmp}/sls-pg.XXXXXX") || exit 1
cleanup() {
	sh "$cluster" stop "$dir" >/dev/null 2>&1 || true
	rmdir "$dir" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

rc=0
url=$(sh "$cluster" start "$dir") || rc=$?
if [ "$rc" -eq 77 ]; then
	echo "with_cluster: skipped, no PostgreSQL server installed"
	exit 77
fi
[ "$rc" -eq 0 ] || exit 1
SLS_TEST_STORE_URL=$url
SLS_TEST_PG_DIR=$dir
case "$cluster" in
/*) SLS_TEST_PG_CLUSTER=$cluster ;;
*) SLS_TEST_PG_CLUSTER=$(pwd)/$cluster ;;
esac
export SLS_TEST_STORE_URL SLS_TEST_PG_DIR SLS_TEST_PG_CLUSTER
rc=0
"$@" || rc=$?
exit "$rc"
