#!/bin/sh
# The login benchmark (`make bench`): the raw Argon2id rate of this machine,
# then full logins and second-factor checks per second against slsd servers
# it starts itself on free loopback ports in a temporary directory, one per
# phase with the Argon2id cost of that phase. Prints each phase as it goes and
# a summary with the ratios; docs/benchmarks.md explains the numbers. The
# full-login and second-factor phases run again on PostgreSQL, with one node
# and with three nodes behind HAProxy (deploy/haproxy.cfg), on a throwaway
# cluster it starts itself (scripts/pg-cluster.sh); skipped when no
# PostgreSQL server or no haproxy is installed.
#
# usage: sh scripts/bench.sh [BUILD_DIR]
# environment: SLS_BENCH_SECONDS   timed length of each phase (default 10)
#              SLS_BENCH_CONNS     connections of the second-factor phase (default 64)
#              SLS_BENCH_USERS     users of the second-factor phase (default 300)
#              SLS_BENCH_TRICKLE   byte-at-a-time connections of the attack phase (default 5000)
#              SLS_BENCH_BIG_USERS users of the large half of the scale phase (default 1000000)
#              SLS_BENCH_PHASES    the phases to run, a comma list of argon2 (1),
#                                  login (2), second-factor (3 and 4), attack (5),
#                                  pg (6-9), scale (10); default all of them
#              SLS_BENCH_ONLY=scale  the same as SLS_BENCH_PHASES=scale
#              SLS_BENCH_KEEP=1    keep the temporary directory (server logs, databases)
set -eu
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case $BUILD in
/*) BIN=$BUILD ;;
*) BIN="$ROOT/$BUILD" ;;
esac
SECS=${SLS_BENCH_SECONDS:-10}
CONNS=${SLS_BENCH_CONNS:-64}
USERS=${SLS_BENCH_USERS:-300}
TRICKLE=${SLS_BENCH_TRICKLE:-5000}
BIG_USERS=${SLS_BENCH_BIG_USERS:-1000000}
PHASES=${SLS_BENCH_PHASES:-${SLS_BENCH_ONLY:-argon2,login,second-factor,attack,pg,scale}}
NPROC=$(nproc 2>/dev/null || echo 2)
PROD_OPS=2
PROD_MEM_KIB=65536
MIN_OPS=1
MIN_MEM_KIB=8

for b in slsd slsctl slsbench; do
	if [ ! -x "$BIN/$b" ]; then
		echo "bench: $BIN/$b is missing; build first (make build)" >&2
		exit 1
	fi
done

DIR=$(mktemp -d "${TMPDIR:-/tmp}/slsbench.XXXXXX")
# The PostgreSQL cluster's own folder: pg-cluster.sh hands it to the cluster's
# user when run as root, which DIR (private to root) would not let in.
PGDIR=
SLSD=
STORE=
TAG=
RESULTS="$DIR/results"
: >"$RESULTS"

# SLSD: the process ids of the running servers (and HAProxy), all stopped together.
stop_slsd() {
	for pid in $SLSD; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	SLSD=
}
cleanup() {
	stop_slsd
	if [ -n "$PGDIR" ]; then
		sh "$ROOT/scripts/pg-cluster.sh" stop "$PGDIR" >/dev/null 2>&1 || true
		rmdir "$PGDIR" 2>/dev/null || true
	fi
	if [ "${SLS_BENCH_KEEP:-0}" = 1 ]; then
		echo "bench: kept $DIR"
	else
		rm -rf "$DIR"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

SLS_ADMIN_TOKEN=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
export SLS_ADMIN_TOKEN

# A free loopback port below the kernel's range of ephemeral ports, so that the
# many client connections of a phase cannot hold it (slsd cannot bind a port
# that still has connections in TIME_WAIT); start_slsd retries on failure.
EPHEMERAL_LOW=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
[ "$EPHEMERAL_LOW" -gt 12000 ] 2>/dev/null || EPHEMERAL_LOW=32768
random_port() {
	while :; do
		p=$(($(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % (EPHEMERAL_LOW - 11000) + 10000))
		if ! command -v ss >/dev/null 2>&1 || [ -z "$(ss -Htan "sport = :$p" 2>/dev/null)" ]; then
			echo "$p"
			return
		fi
	done
}

# start_slsd NAME OPS MEM_KIB [attack]: a fresh server in $DIR/NAME; sets PUBLIC
# and ADMIN. With "attack", the throttle and connection limits keep their defaults.
# Its store is $STORE with the key file $KEY when STORE is set (more nodes on
# one store), else a new SQLite file and key of its own.
start_slsd() {
	name=$1
	mkdir -p "$DIR/$name"
	tries=0
	while [ $tries -lt 5 ]; do
		tries=$((tries + 1))
		PUBLIC=127.0.0.1:$(random_port)
		ADMIN=127.0.0.1:$(random_port)
		[ "$PUBLIC" = "$ADMIN" ] && continue
		cat >"$DIR/$name/slsd.ini" <<EOF
; slsd of the $name phase
[server]
listen = $PUBLIC
admin_listen = $ADMIN
store = ${STORE:-sqlite:$DIR/$name/sls.db}
key_file = ${KEY:-$DIR/$name/sls.key}

[security]
argon2_ops = $2
argon2_mem_kib = $3
EOF
		if [ "${4:-}" != attack ]; then
			cat >>"$DIR/$name/slsd.ini" <<EOF

; one client address sends every request: no per-address limit, and a queue
; long enough for every bench thread (the concurrent hashing cap stays)
[throttle]
per_ip_per_minute = 1000000
hashing_queue = 4096
hashing_per_ip = 8192
queue_wait = 60s
EOF
		fi
		(cd "$DIR/$name" && exec "$BIN/slsd" --config slsd.ini) >>"$DIR/$name/slsd.log" 2>&1 &
		pid=$!
		i=0
		while [ $i -lt 100 ]; do
			if SLS_ADMIN_URL="http://$ADMIN" "$BIN/slsctl" health >/dev/null 2>&1; then
				SLSD="$SLSD $pid"
				return 0
			fi
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
			i=$((i + 1))
		done
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	echo "bench: slsd did not start; its log:" >&2
	cat "$DIR/$name/slsd.log" >&2
	exit 1
}

load() { awk '{ print $1 }' /proc/loadavg; }

# want PHASE: whether SLS_BENCH_PHASES names it.
want() {
	case ",$PHASES," in
	*",$1,"*) return 0 ;;
	*) return 1 ;;
	esac
}

# run LABEL COMMAND...: runs a phase, shows its output, keeps its result line.
run() {
	label=$1
	shift
	echo
	echo "== $label (load average $(load))"
	if ! "$@" >"$DIR/out" 2>"$DIR/err"; then
		cat "$DIR/out"
		echo "bench: the $label phase failed:" >&2
		tail -n 20 "$DIR/err" >&2
		exit 1
	fi
	grep -v '^result ' "$DIR/out" || true
	grep '^result ' "$DIR/out" | sed "s/ phase=\([a-z_0-9]*\)/ phase=\1$TAG/" >>"$RESULTS"
}

# new_pg_store NAME: a new database NAME on the bench's cluster; sets STORE and KEY.
new_pg_store() {
	"$PGBIN/createdb" --host="$PGDIR/sock" --port=5432 --username=sls "$1"
	STORE="postgresql:///$1?host=$PGDIR/sock&port=5432&user=sls"
	KEY="$DIR/$1.key"
}

# start_nodes NAME OPS MEM_KIB: three nodes on $STORE behind HAProxy; sets PUBLIC
# (the proxy) and ADMIN (the first node's admin listener).
start_nodes() {
	nodes=""
	for n in 1 2 3; do
		start_slsd "$1-node$n" "$2" "$3"
		[ -n "$nodes" ] || first_admin=$ADMIN
		nodes="$nodes $PUBLIC"
	done
	set -- $nodes
	lb=127.0.0.1:$(random_port)
	SLS_LB_BIND=$lb SLS_NODE1=$1 SLS_NODE2=$2 SLS_NODE3=$3 \
		"$HAPROXY" -db -f "$ROOT/deploy/haproxy.cfg" >>"$DIR/haproxy.log" 2>&1 &
	SLSD="$SLSD $!"
	i=0
	until curl -fsS -o /dev/null "http://$lb/healthz" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 100 ] || { echo "bench: haproxy did not answer" >&2; cat "$DIR/haproxy.log" >&2; exit 1; }
		sleep 0.1
	done
	PUBLIC=$lb
	ADMIN=$first_admin
}

echo "sls benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $NPROC CPUs, $(sed -n 's/^model name[^:]*: *//p' /proc/cpuinfo | head -n 1)"
echo "each phase runs $SECS s"

PG=skipped
if want argon2; then
run "1. raw Argon2id verification, in process, $NPROC threads (production cost)" \
	"$BIN/slsbench" argon2 --threads "$NPROC" --seconds "$SECS" \
	--ops $PROD_OPS --mem-kib $PROD_MEM_KIB
fi

if want login; then
start_slsd login $PROD_OPS $PROD_MEM_KIB
run "2. full logins, slsd at the production cost (ops $PROD_OPS, $PROD_MEM_KIB KiB), $NPROC connections" \
	"$BIN/slsbench" login --public "http://$PUBLIC" --admin "http://$ADMIN" \
	--users $((8 * NPROC)) --threads "$NPROC" --setup-threads "$NPROC" --seconds "$SECS"
stop_slsd
fi

if want second-factor; then
start_slsd second-factor $MIN_OPS $MIN_MEM_KIB
run "3. second-factor checks, stage 1 at the cheapest cost (ops $MIN_OPS, $MIN_MEM_KIB KiB), $CONNS connections" \
	"$BIN/slsbench" second-factor --public "http://$PUBLIC" --admin "http://$ADMIN" \
	--users "$USERS" --threads "$CONNS" --setup-threads 8 --seconds "$SECS" \
	--prepare-seconds 30 --logins 150000
run "4. HTTP floor: the same stage-2 request refused before any store or crypto work, $CONNS connections" \
	"$BIN/slsbench" http-floor --public "http://$PUBLIC" --threads "$CONNS" --seconds "$SECS"
stop_slsd
fi

if want attack; then
start_slsd attack $PROD_OPS $PROD_MEM_KIB attack
run "5a. paced logins from 127.0.0.1 (one every 0.5 s), production cost, default limits, quiet" \
	"$BIN/slsbench" attack --public "http://$PUBLIC" --admin "http://$ADMIN" \
	--users 1 --threads 1 --seconds "$SECS" --user-prefix quiet
run "5b. the same under attack: $TRICKLE byte-at-a-time connections and a stage-1 flood at 64 concurrent" \
	"$BIN/slsbench" attack --public "http://$PUBLIC" --admin "http://$ADMIN" \
	--users 1 --threads 1 --seconds "$SECS" --user-prefix attack \
	--trickle "$TRICKLE" --flood 64
stop_slsd
fi

# The same full logins and second-factor checks on PostgreSQL: one node, then
# three behind HAProxy, each phase on a new database of one throwaway cluster.
if want pg; then
HAPROXY=$(command -v haproxy || echo /usr/sbin/haproxy)
PGDIR=$(mktemp -d "${TMPDIR:-/tmp}/slsbench-pg.XXXXXX")
rc=0
sh "$ROOT/scripts/pg-cluster.sh" start "$PGDIR" >/dev/null 2>"$DIR/pg.err" || rc=$?
if [ "$rc" -ne 0 ]; then
	echo
	echo "== PostgreSQL phases skipped: $(tail -n 1 "$DIR/pg.err")"
	rmdir "$PGDIR" 2>/dev/null || true
	PGDIR=
elif [ ! -x "$HAPROXY" ]; then
	echo
	echo "== PostgreSQL phases skipped: no haproxy"
else
	PG=ran
	PGBIN=$(pg_config --bindir 2>/dev/null || true)
	[ -x "$PGBIN/createdb" ] || PGBIN=$(dirname "$(command -v createdb)")
	TAG=_pg1
	new_pg_store bench_login1
	start_slsd pg-login $PROD_OPS $PROD_MEM_KIB
	run "6. full logins on PostgreSQL, 1 node, production cost, $NPROC connections" \
		"$BIN/slsbench" login --public "http://$PUBLIC" --admin "http://$ADMIN" \
		--users $((8 * NPROC)) --threads "$NPROC" --setup-threads "$NPROC" --seconds "$SECS"
	stop_slsd
	new_pg_store bench_second1
	start_slsd pg-second-factor $MIN_OPS $MIN_MEM_KIB
	run "7. second-factor checks on PostgreSQL, 1 node, $CONNS connections" \
		"$BIN/slsbench" second-factor --public "http://$PUBLIC" --admin "http://$ADMIN" \
		--users "$USERS" --threads "$CONNS" --setup-threads 8 --seconds "$SECS" \
		--prepare-seconds 30 --logins 150000
	stop_slsd
	TAG=_pg3
	new_pg_store bench_login3
	start_nodes pg3-login $PROD_OPS $PROD_MEM_KIB
	run "8. full logins on PostgreSQL, 3 nodes behind HAProxy, production cost, $NPROC connections" \
		"$BIN/slsbench" login --public "http://$PUBLIC" --admin "http://$ADMIN" \
		--users $((8 * NPROC)) --threads "$NPROC" --setup-threads "$NPROC" --seconds "$SECS"
	stop_slsd
	new_pg_store bench_second3
	start_nodes pg3-second-factor $MIN_OPS $MIN_MEM_KIB
	run "9. second-factor checks on PostgreSQL, 3 nodes behind HAProxy, $CONNS connections" \
		"$BIN/slsbench" second-factor --public "http://$PUBLIC" --admin "http://$ADMIN" \
		--users "$USERS" --threads "$CONNS" --setup-threads 8 --seconds "$SECS" \
		--prepare-seconds 30 --logins 150000
	stop_slsd
	TAG=
fi

fi

# rss_of NAME: slsd's resident memory now and at its peak (kB), as a result line.
rss_of() {
	pid=${SLSD# }
	rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
	hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")
	echo "slsd $1: VmRSS $rss kB, VmHWM $hwm kB"
	echo "result phase=rss_$1 rss_kb=$rss hwm_kb=$hwm" >>"$RESULTS"
}

# Scale with users: the second-factor phase with 1,000 users, then with
# BIG_USERS, then with 1,000 again, each loaded through the bulk import (10,000
# a request, one precomputed hash at the cheapest cost), logins spread over
# random users. The large run is compared with the mean of the two small ones
# around it, so a machine that gets busier or quieter during the phase does
# not pass for an effect of the user count.
for round in a big b; do
	want scale || break
	case $round in
	big) n=$BIG_USERS TAG=_u$BIG_USERS ;;
	a) n=1000 TAG=_u1000 ;;
	b) n=1000 TAG=_u1000b ;;
	esac
	start_slsd "scale-$n$round" $MIN_OPS $MIN_MEM_KIB
	run "10. second-factor checks with $n users (loaded by bulk import), $CONNS connections" \
		"$BIN/slsbench" second-factor --public "http://$PUBLIC" --admin "http://$ADMIN" \
		--users "$n" --import-batch 10000 --threads "$CONNS" --setup-threads 2 \
		--seconds "$SECS" --prepare-seconds 30 --logins 150000
	rss_of "${TAG#_}"
	stop_slsd
	TAG=
done

echo
echo "== summary"
awk -v conns="$CONNS" -v pg="$PG" -v big="$BIG_USERS" '
function field(line, key,    n, i, kv, parts) {
	n = split(line, parts, " ")
	for (i = 1; i <= n; i++) {
		split(parts[i], kv, "=")
		if (kv[1] == key)
			return kv[2]
	}
	return ""
}
{ phase = field($0, "phase"); rate[phase] = field($0, "rate"); ok[phase] = field($0, "success_pct");
  rss[phase] = field($0, "rss_kb"); hwm[phase] = field($0, "hwm_kb");
  p50[phase] = field($0, "p50_ms"); p99[phase] = field($0, "p99_ms") }
END {
	printf "%-34s %10s %10s %10s\n", "phase", "per second", "p50 ms", "p99 ms"
	s1 = "second_factor_u1000"; s2 = "second_factor_u1000b"; sb = "second_factor_u" big
	if (rate[s1] != "") {
	small = rate[s2] != "" ? (rate[s1] + rate[s2]) / 2 : rate[s1]
	printf "%-34s %10s %10s %10s  slsd RSS %s kB (peak %s kB)\n", "second factor, 1000 users", rate[s1], p50[s1], p99[s1], rss["rss_u1000"], hwm["rss_u1000"]
	printf "%-34s %10s %10s %10s  slsd RSS %s kB (peak %s kB)\n", "second factor, " big " users", rate[sb], p50[sb], p99[sb], rss["rss_u" big], hwm["rss_u" big]
	if (rate[s2] != "")
	printf "%-34s %10s %10s %10s  slsd RSS %s kB (peak %s kB)\n", "second factor, 1000 users again", rate[s2], p50[s2], p99[s2], rss["rss_u1000b"], hwm["rss_u1000b"]
	if (small > 0)
		printf "second-factor checks, %s users / 1000 users (mean of the runs before and after): %.1f %% (goal: within 10 %%); slsd peak RSS with %s users: %.0f MiB (goal: under 1024)\n",
			big, 100 * rate[sb] / small, big, hwm["rss_u" big] / 1024
	}
	if (rate["argon2"] != "")
	printf "%-34s %10s %10s %10s\n", "raw Argon2id verify", rate["argon2"], p50["argon2"], p99["argon2"]
	if (rate["login"] != "")
	printf "%-34s %10s %10s %10s\n", "full login", rate["login"], p50["login"], p99["login"]
	if (rate["second_factor"] != "") {
	printf "%-34s %10s %10s %10s\n", "second-factor check", rate["second_factor"], p50["second_factor"], p99["second_factor"]
	printf "%-34s %10s %10s %10s\n", "HTTP floor (refused stage 2)", rate["http_floor"], p50["http_floor"], p99["http_floor"]
	}
	if (rate["login_quiet"] != "") {
	printf "%-34s %10s %10s %10s  success %s %%\n", "paced login, quiet", rate["login_quiet"], p50["login_quiet"], p99["login_quiet"], ok["login_quiet"]
	printf "%-34s %10s %10s %10s  success %s %%\n", "paced login, under attack", rate["login_attack"], p50["login_attack"], p99["login_attack"], ok["login_attack"]
	if (p99["login_quiet"] > 0)
		printf "paced login p99, under attack / quiet: %.2f (goal: at most 2)\n", p99["login_attack"] / p99["login_quiet"]
	}
	if (rate["argon2"] > 0 && rate["login"] > 0)
		printf "full logins / raw Argon2id: %.1f %% (server overhead %.1f %%, goal under 10 %%)\n",
			100 * rate["login"] / rate["argon2"], 100 - 100 * rate["login"] / rate["argon2"]
	if (rate["second_factor"] != "")
	printf "second-factor checks / goal of 30000/s: %.1f %% (%s connections)\n",
		100 * rate["second_factor"] / 30000, conns
	if (rate["http_floor"] > 0)
		printf "second-factor checks / HTTP floor: %.1f %%\n", 100 * rate["second_factor"] / rate["http_floor"]
	if (pg != "ran")
		exit
	printf "%-34s %10s %10s %10s\n", "full login, PostgreSQL 1 node", rate["login_pg1"], p50["login_pg1"], p99["login_pg1"]
	printf "%-34s %10s %10s %10s\n", "full login, PostgreSQL 3 nodes", rate["login_pg3"], p50["login_pg3"], p99["login_pg3"]
	printf "%-34s %10s %10s %10s\n", "second factor, PostgreSQL 1 node", rate["second_factor_pg1"], p50["second_factor_pg1"], p99["second_factor_pg1"]
	printf "%-34s %10s %10s %10s\n", "second factor, PostgreSQL 3 nodes", rate["second_factor_pg3"], p50["second_factor_pg3"], p99["second_factor_pg3"]
	if (rate["login"] > 0)
		printf "full logins, PostgreSQL / SQLite: 1 node %.2f, 3 nodes %.2f\n",
			rate["login_pg1"] / rate["login"], rate["login_pg3"] / rate["login"]
	if (rate["second_factor"] > 0)
		printf "second-factor checks, PostgreSQL / SQLite: 1 node %.2f, 3 nodes %.2f\n",
			rate["second_factor_pg1"] / rate["second_factor"], rate["second_factor_pg3"] / rate["second_factor"]
}' "$RESULTS"
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
