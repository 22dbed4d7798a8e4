#!/bin/sh
# Starts slsd in development mode on an SQLite file under var/demo, creates the
# demo users (again harmlessly on later runs) and prints how to log in.
set -eu
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN="$ROOT/$BUILD"
DIR="$ROOT/var/demo"
PUBLIC=${SLS_DEMO_LISTEN:-127.0.0.1:8080}
ADMIN=${SLS_DEMO_ADMIN_LISTEN:-127.0.0.1:8081}
export SLS_ADMIN_TOKEN=${SLS_ADMIN_TOKEN:-demo-admin-token-change-me}
export SLS_ADMIN_URL="http://$ADMIN"
DSC_SECRET=3132333435363738393031323334353637383930
PLAT_SECRET=4142434445464748494a4b4c4d4e4f5051525354

mkdir -p "$DIR"
cd "$DIR"
"$BIN/slsd" --dev --listen "$PUBLIC" --admin-listen "$ADMIN" --store "sqlite:$DIR/sls.db" &
SLSD=$!
trap 'kill $SLSD 2>/dev/null; wait $SLSD 2>/dev/null' INT TERM EXIT

i=0
until "$BIN/slsctl" health >/dev/null 2>&1; do
	i=$((i + 1))
	if [ $i -gt 50 ] || ! kill -0 $SLSD 2>/dev/null; then
		echo "demo: slsd did not start" >&2
		exit 1
	fi
	sleep 0.2
done

ctl() { "$BIN/slsctl" "$@" >/dev/null 2>&1 || true; }
if ! "$BIN/slsctl" user show alice >/dev/null 2>&1; then
	ctl user add alice --password demo1234 --email alice@example.com --phone 1:2125550100
	ctl device add alice --type dsc_plus --serial DSCP-0001 --secret $DSC_SECRET --pin 1234
	ctl user add bob --password demo1234 --email bob@example.com
	ctl device add bob --type scc --serial SCC-0002 --cells "@$ROOT/demo/bob-card.json"
	ctl user add carol --password demo1234 --email carol@example.com
	ctl device add carol --type platinum --serial PLAT-0003 --secret $PLAT_SECRET
	ctl device add carol --type scc --serial SCC-0004 --cells "@$ROOT/demo/bob-card.json"
	ctl user add dave --password demo1234 --email dave@example.com --no-sls
	ctl user add erin --password demo1234 --email erin@example.com --state pending
	ctl device add erin --type dsc_plus --serial DSCP-0005 --secret $DSC_SECRET --pin 4321
fi

# frank holds the mobile authenticator, activated by slstoken playing the app.
APP_STATE="$DIR/slstoken-app.json"
if ! "$BIN/slsctl" user show frank >/dev/null 2>&1; then
	ctl user add frank --password demo1234 --email frank@example.com --phone 44:7700900123
	"$BIN/slstoken" app activate --server "http://$PUBLIC" --user frank --password demo1234 \
		--mode biometric --state "$APP_STATE" >/dev/null ||
		echo "demo: could not activate frank's mobile authenticator" >&2
fi

cat <<MSG

sls demo is running (public http://$PUBLIC, admin http://$ADMIN). Ctrl-C stops it.
Client Portal in a browser: http://$PUBLIC/
Demo users, password demo1234 for all:
  alice  DSC+ (secret $DSC_SECRET, PIN 1234)
  bob    security code card (demo/bob-card.json)
  carol  Platinum card (secret $PLAT_SECRET) and a code card
  dave   outside SLS (no second factor)
  erin   pending account: Client Portal only
  frank  mobile authenticator (push): $BIN/slstoken app approve --state $APP_STATE --number N
         (N: the two digits the login page shows)

Log in as alice:
  curl -s -H 'Content-Type: application/json' http://$PUBLIC/v1/login \\
       -d '{"username":"alice","password":"demo1234","platform":"trading"}'
  # note login_id and challenge.challenge, then compute what the card shows:
  $BIN/slstoken respond --type dsc_plus --secret $DSC_SECRET --pin 1234 CHALLENGE
  curl -s -H 'Content-Type: application/json' http://$PUBLIC/v1/login/LOGIN_ID/response \\
       -d '{"response":"RESPONSE"}'
As the service desk:
  SLS_ADMIN_URL=$SLS_ADMIN_URL SLS_ADMIN_TOKEN=$SLS_ADMIN_TOKEN $BIN/slsctl user show alice
MSG
wait $SLSD
