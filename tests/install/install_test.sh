#!/bin/sh
# cmake --install into a fresh DESTDIR puts every file where the GNU install
# dirs say; the installed programs run, the shipped configuration passes
# slsd --check, and the unit passes systemd-analyze verify with an exposure
# of at most 2.0 ("OK") in systemd-analyze security.
# The man pages are gzipped; the PAM module, when built, lands in its folder
# (on this machine the folder of pam_unix.so, when the prefix is /usr) with its
# page; the copyright file is in the doc folder.
# usage: install_test.sh CMAKE BUILD_DIR SBINDIR BINDIR MANDIR CONF_FILE
#                        EXAMPLE_DIR UNIT_DIR SYSUSERS_DIR PAM_DIR DOC_DIR
#   (the directories as absolute paths, as configured)
set -u
cmake=$1
build=$2
sbindir=$3
bindir=$4
mandir=$5
conf=$6
examples=$7
unitdir=$8
sysusers=$9
pamdir=${10}
docdir=${11}
bad=0
fail() {
	echo "FAIL: $*"
	bad=1
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
if ! DESTDIR=$root "$cmake" --install "$build" >"$tmp/install.log" 2>&1; then
	cat "$tmp/install.log"
	fail "cmake --install"
	exit 1
fi

for f in "$sbindir/slsd" "$bindir/slsctl" "$bindir/slstoken"; do
	[ -x "$root$f" ] || fail "$f is not installed as a program"
done
for f in "$mandir/man8/slsd.8.gz" "$mandir/man8/slsctl.8.gz" "$mandir/man1/slstoken.1.gz" \
	"$mandir/man5/sls.conf.5.gz" "$docdir/copyright" "$conf" "$examples/sls.conf" "$unitdir/slsd.service" \
	"$sysusers/sls.conf"; do
	[ -f "$root$f" ] || fail "$f is not installed"
done
for f in "$root$mandir"/man*/*; do
	gzip -t "$f" 2>/dev/null || fail "${f#"$root"} is not gzipped"
done
grep -q '^Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/$' \
	"$root$docdir/copyright" || fail "$docdir/copyright is not in the DEP-5 format"
if [ -f "$build/pam_sls.so" ]; then
	[ -f "$root$pamdir/pam_sls.so" ] || fail "$pamdir/pam_sls.so is not installed"
	[ -f "$root$mandir/man8/pam_sls.8.gz" ] || fail "pam_sls(8) is not installed"
	# libpam loads modules from the folder of its own: with the prefix /usr
	# the module must land there (Debian: /lib/<multiarch>/security, the same
	# folder as /usr/lib/<multiarch>/security on a merged /usr).
	unix=$(dpkg -S 'security/pam_unix.so' 2>/dev/null | sed -n 's/^.*: \(\/.*\)\/pam_unix.so$/\1/p' | head -n 1)
	case "$sbindir" in
	/usr/sbin)
		if [ -n "$unix" ] && [ "$(readlink -f "$unix")" != "$(readlink -f "$pamdir")" ]; then
			fail "pam_sls.so goes to $pamdir, libpam's modules are in $unix"
		fi
		;;
	esac
	echo "ok: pam_sls.so in $pamdir${unix:+ (pam_unix.so: $unix)}"
fi
mode=$(stat -c %a "$root$conf")
[ "$mode" = 640 ] || fail "$conf has mode $mode, expected 640 (it may hold secrets)"
[ $bad -eq 0 ] && echo "ok: $(find "$root" -type f | wc -l) files in place"

for p in "$sbindir/slsd" "$bindir/slsctl" "$bindir/slstoken"; do
	out=$("$root$p" --version) || fail "$p --version"
	echo "ok: $out"
done
for c in "$conf" "$examples/sls.conf"; do
	out=$("$root$sbindir/slsd" --check --config "$root$c" 2>&1)
	[ "$out" = "slsd: configuration OK" ] || fail "slsd --check $c: $out"
done
echo "ok: the installed configuration and its example pass slsd --check"

# The unit names the installed programs; for systemd-analyze, which looks for
# them on this machine, the copy checked here points into DESTDIR instead.
unit=$root$unitdir/slsd.service
grep -q "^ExecStart=$sbindir/slsd --config $conf\$" "$unit" ||
	fail "slsd.service does not start $sbindir/slsd --config $conf"
grep -q "^User=sls\$" "$unit" || fail "slsd.service does not run as the user sls"
if command -v systemd-analyze >/dev/null 2>&1; then
	mkdir "$tmp/unit"
	sed "s|$sbindir/slsd|$root$sbindir/slsd|g" "$unit" >"$tmp/unit/slsd.service"
	if out=$(MANPATH=$root$mandir systemd-analyze verify "$tmp/unit/slsd.service" 2>&1) &&
		[ -z "$out" ]; then
		echo "ok: systemd-analyze verify: no message"
	else
		fail "systemd-analyze verify:"
		echo "$out"
	fi
	# --threshold=20: fail above an exposure of 2.0.
	out=$(systemd-analyze security --offline=true --threshold=20 "$tmp/unit/slsd.service" 2>&1)
	rc=$?
	level=$(echo "$out" | grep 'Overall exposure level')
	if [ $rc -eq 0 ] && [ -n "$level" ]; then
		echo "ok: ${level#→ }"
	else
		echo "$out" | grep '✗'
		fail "systemd-analyze security: ${level:-no exposure level} (at most 2.0 wanted)"
	fi
else
	fail "no systemd-analyze (scripts/deps.sh --test installs systemd)"
fi
exit $bad
