#!/bin/sh
# A throwaway PostgreSQL cluster for the tests of the store's PostgreSQL
# backend: a real server, private to one test run, reachable only through a
# Unix socket inside its own folder.
#
#   pg-cluster.sh start DIR   creates and starts a cluster in DIR (a new or an
#                             empty folder), creates the database sls_test and
#                             prints one line: its libpq connection URL.
#   pg-cluster.sh stop DIR    stops it (fast mode) and removes DIR. Stopping a
#                             DIR that is gone does nothing; a DIR this script
#                             did not create (no marker file) is refused.
#   pg-cluster.sh pause DIR   stops its server (fast mode), keeping DIR and the
#                             data: the tests' store outage.
#   pg-cluster.sh resume DIR  starts the server of a paused cluster again.
#   pg-cluster.sh restart DIR restarts its server (pg_ctl restart, fast mode).
#
# Authentication is "trust" on the local socket only; the server does not
# listen on TCP at all, and the socket folder is private to the cluster's
# owner, so nothing collides with another cluster and no other local user can
# connect. Exits 77 (the tests' "skipped") when no PostgreSQL server is
# installed. PG_BINDIR, when set, names the folder of initdb and pg_ctl.
set -eu

MARKER=.sls-pg-cluster
DBUSER=sls
DBNAME=sls_test
PORT=5432
# PostgreSQL refuses to run as root. Run as root (CI, `make test`), the
# cluster runs as this dedicated system user, created on first use. Not
# `nobody`: many daemons share it and it must own no files, and whatever runs
# as nobody could read the cluster or signal it. Not `postgres`: it belongs to
# the system's own clusters, which the tests must not mix with.
RUNAS=sls-pgtest

die() {
	echo "pg-cluster: $*" >&2
	exit 1
}

usage() {
	echo "usage: pg-cluster.sh start|stop|pause|resume|restart DIR" >&2
	exit 2
}

# The folder of initdb, pg_ctl and postgres, or nothing.
find_bindir() {
	if [ -n "${PG_BINDIR:-}" ]; then
		if [ ! -x "$PG_BINDIR/initdb" ] || [ ! -x "$PG_BINDIR/pg_ctl" ]; then
			die "PG_BINDIR has no initdb and pg_ctl: $PG_BINDIR"
		fi
		echo "$PG_BINDIR"
		return
	fi
	if command -v pg_config >/dev/null 2>&1; then
		d=$(pg_config --bindir 2>/dev/null || true)
		if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
			echo "$d"
			return
		fi
	fi
	# The newest server Debian installed, when pg_config names another one.
	for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
		if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
			echo "$d"
			return
		fi
	done
}

# Runs a PostgreSQL program as the cluster's owner: RUNAS for root, unless
# OWNER names another (stop: whoever owns the data folder, which PostgreSQL
# requires to be the server's user).
OWNER=""
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u "${OWNER:-$RUNAS}" -- "$@"
	else
		"$@"
	fi
}

# Creates the system user the cluster runs as when started by root.
ensure_runas() {
	if id -u "$RUNAS" >/dev/null 2>&1; then
		return
	fi
	# A concurrent start may create it first: then useradd fails and id succeeds.
	useradd --system --user-group --no-create-home --home-dir /nonexistent \
		--shell /usr/sbin/nologin --comment "sls test PostgreSQL clusters" "$RUNAS" ||
		id -u "$RUNAS" >/dev/null 2>&1 || die "cannot create the user $RUNAS"
}

[ $# -eq 2 ] || usage
cmd=$1
dir=$2

# The path goes into postgresql.conf and into the URL: only plain characters,
# and absolute, so the URL works from any folder.
case "$dir" in
/*) ;;
*) die "DIR must be an absolute path: $dir" ;;
esac
case "$dir" in
*[!A-Za-z0-9/._-]*) die "DIR may hold only letters, digits and / . _ -: $dir" ;;
esac
dir=${dir%/}
[ -n "$dir" ] || die "DIR must not be /"

start() {
	bindir=$(find_bindir)
	if [ -z "$bindir" ]; then
		echo "pg-cluster: no PostgreSQL server installed (initdb, pg_ctl)" >&2
		exit 77
	fi
	sock="$dir/sock"
	# A Unix socket path holds at most 107 bytes.
	[ ${#sock} -le 90 ] || die "DIR is too long for a Unix socket path: $dir"

	# Not a symbolic link: root would chown whatever it points to.
	[ ! -L "$dir" ] || die "a symbolic link: $dir"
	if [ -e "$dir" ]; then
		[ -d "$dir" ] || die "not a folder: $dir"
		[ -z "$(ls -A "$dir")" ] || die "not empty: $dir"
	else
		mkdir "$dir"
	fi
	chmod 700 "$dir"
	if [ "$(id -u)" -eq 0 ]; then
		ensure_runas
		chown "$RUNAS:" "$dir"
		as_owner test -w "$dir" ||
			die "$RUNAS cannot reach $dir (a parent folder is closed to other users)"
	fi
	echo "created by pg-cluster.sh" >"$dir/$MARKER"
	as_owner mkdir -m 700 "$sock"

	as_owner "$bindir/initdb" --pgdata="$dir/data" --username="$DBUSER" \
		--auth-local=trust --auth-host=reject --encoding=UTF8 --locale=C.UTF-8 \
		>"$dir/initdb.log" 2>&1 ||
		{
			cat "$dir/initdb.log" >&2
			die "initdb failed"
		}
	# shellcheck disable=SC2016 # $1 is expanded by the inner shell
	as_owner sh -c 'cat >> "$1/data/postgresql.conf"' sh "$dir" <<EOF
# pg-cluster.sh: a private test cluster.
listen_addresses = ''
port = $PORT
unix_socket_directories = '$sock'
unix_socket_permissions = 0700
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
	as_owner "$bindir/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" \
		--wait --timeout=60 --silent start >/dev/null ||
		{
			cat "$dir/server.log" >&2
			die "the server did not start"
		}

	isready=pg_isready
	[ -x "$bindir/pg_isready" ] && isready="$bindir/pg_isready"
	n=0
	until as_owner "$isready" --quiet --host="$sock" --port="$PORT" --dbname=postgres; do
		n=$((n + 1))
		[ "$n" -lt 60 ] || die "the server does not accept connections"
		sleep 1
	done

	createdb=createdb
	[ -x "$bindir/createdb" ] && createdb="$bindir/createdb"
	as_owner "$createdb" --host="$sock" --port="$PORT" --username="$DBUSER" "$DBNAME"
	echo "postgresql:///$DBNAME?host=$sock&port=$PORT&user=$DBUSER"
}

stop() {
	[ -e "$dir" ] || return 0
	[ -f "$dir/$MARKER" ] || die "refusing $dir: not a cluster pg-cluster.sh created"
	# A server that is not running (never started, or gone) needs no stop;
	# one whose state cannot be read is left alone, and so is its folder.
	if [ -f "$dir/data/postmaster.pid" ]; then
		bindir=$(find_bindir)
		[ -n "$bindir" ] || die "no pg_ctl to stop the cluster in $dir"
		if [ "$(id -u)" -eq 0 ]; then
			OWNER=$(stat -c %U "$dir/data")
			[ "$OWNER" != root ] || die "refusing $dir: its data folder belongs to root"
		fi
		st=0
		as_owner "$bindir/pg_ctl" --pgdata="$dir/data" status >/dev/null 2>&1 || st=$?
		case "$st" in
		0)
			as_owner "$bindir/pg_ctl" --pgdata="$dir/data" --mode=fast --wait --silent stop ||
				die "the server in $dir did not stop"
			;;
		3) ;;
		*) die "cannot tell whether the server in $dir runs (pg_ctl status: $st)" ;;
		esac
	fi
	rm -rf "$dir"
}

# pause, resume, restart: pg_ctl on a cluster this script created, as the owner
# of its data folder; waits until the server is down or accepts connections.
control() {
	[ -f "$dir/$MARKER" ] || die "refusing $dir: not a cluster pg-cluster.sh created"
	[ -d "$dir/data" ] || die "no cluster data in $dir"
	bindir=$(find_bindir)
	[ -n "$bindir" ] || die "no pg_ctl for the cluster in $dir"
	if [ "$(id -u)" -eq 0 ]; then
		OWNER=$(stat -c %U "$dir/data")
		[ "$OWNER" != root ] || die "refusing $dir: its data folder belongs to root"
	fi
	case "$1" in
	pause) as_owner "$bindir/pg_ctl" --pgdata="$dir/data" --mode=fast --wait --silent stop ;;
	resume)
		as_owner "$bindir/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" \
			--wait --timeout=60 --silent start >/dev/null
		;;
	restart)
		as_owner "$bindir/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" \
			--mode=fast --wait --timeout=60 --silent restart >/dev/null
		;;
	esac || die "pg_ctl $1 failed for $dir"
}

case "$cmd" in
start) start ;;
stop) stop ;;
pause | resume | restart) control "$cmd" ;;
*) usage ;;
esac
