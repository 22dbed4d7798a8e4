#!/bin/sh
# The Debian package: cpack -G DEB makes sls_<version>_<arch>.deb, whose
# Depends name the package of every library the programs link; dpkg installs
# it into an empty root made here (dpkg --root, the maintainer scripts run
# with DPKG_ROOT set since the root has no shell to chroot into); the files,
# the man pages, the user sls and slsd --version are checked; reinstalling
# keeps an edited /etc/sls/sls.conf; removing and purging work. Needs root
# (the postinst gives the configuration to the group sls); skipped otherwise.
# usage: deb_test.sh CPACK BUILD_DIR VERSION
set -u
cpack=$1
build=$2
version=$3
bad=0
fail() {
	echo "FAIL: $*"
	bad=1
}
if [ "$(id -u)" -ne 0 ]; then
	echo "skipped: dpkg --root needs root"
	exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! (cd "$build" && "$cpack" -G DEB) >"$tmp/cpack.log" 2>&1; then
	cat "$tmp/cpack.log"
	fail "cpack -G DEB"
	exit 1
fi
arch=$(dpkg --print-architecture)
deb=$build/package/sls_${version}_${arch}.deb
[ -f "$deb" ] || {
	ls "$build/package"
	fail "no $deb"
	exit 1
}
echo "ok: $(basename "$deb"), $(wc -c <"$deb") bytes"

# Depends: adduser, and the package of each library the programs link.
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
dpkg-deb -x "$deb" "$tmp/x"
has_dep() { echo ", $depends," | grep -Eq ", $1( \([^)]*\))?,"; }
has_dep adduser || fail "Depends lacks adduser (the postinst may need it)"
pam=$(find "$tmp/x" -name pam_sls.so)
for prog in "$tmp/x/usr/sbin/slsd" "$tmp/x/usr/bin/slsctl" "$tmp/x/usr/bin/slstoken" $pam; do
	for soname in $(readelf -d "$prog" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
		path=$(ldd "$prog" | awk -v s="$soname" '$1 == s { print $3 }')
		real=$(readlink -f "$path")
		pkg=$(dpkg -S "$path" 2>/dev/null || dpkg -S "$real" 2>/dev/null ||
			dpkg -S "/usr$path" 2>/dev/null || dpkg -S "${path#/usr}" 2>/dev/null)
		pkg=${pkg%%:*}
		if [ -z "$pkg" ]; then
			fail "$(basename "$prog") links $soname ($path), which no package holds"
		elif ! has_dep "$pkg"; then
			fail "$(basename "$prog") links $soname of $pkg, which Depends lacks"
		fi
	done
done
[ $bad -eq 0 ] && echo "ok: every linked library's package is in Depends"

# An empty root with an empty dpkg database.
root=$tmp/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers"
touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"
# Dependencies were checked above; the empty root has none of them.
# --path-include: a minimal image's dpkg.cfg.d may leave out man pages and docs.
dpkg_root() {
	dpkg --root="$root" --force-script-chrootless --force-depends --log=/dev/null \
		--path-include='/*' "$@"
}
if ! dpkg_root -i "$deb" >"$tmp/dpkg.log" 2>&1; then
	cat "$tmp/dpkg.log"
	fail "dpkg -i into an empty root"
	exit 1
fi
status=$(dpkg-query --root="$root" -W -f='${Status} ${Version}' sls)
[ "$status" = "install ok installed $version" ] || fail "dpkg-query: $status"
dpkg-query --root="$root" -W -f='${Conffiles}' sls | grep -q '^ /etc/sls/sls.conf ' ||
	fail "/etc/sls/sls.conf is not a conffile"
for f in /usr/sbin/slsd /usr/bin/slsctl /usr/bin/slstoken; do
	[ -x "$root$f" ] || fail "$f missing"
done
for f in /usr/share/man/man8/slsd.8.gz /usr/share/man/man8/slsctl.8.gz \
	/usr/share/man/man1/slstoken.1.gz /usr/share/man/man5/sls.conf.5.gz \
	/usr/share/doc/sls/copyright \
	/usr/lib/systemd/system/slsd.service \
	/usr/lib/sysusers.d/sls.conf /usr/share/doc/sls/examples/sls.conf /etc/sls/sls.conf; do
	[ -f "$root$f" ] || fail "$f missing"
done
# The PAM module, built where libpam0g-dev is installed, and its page.
if [ -f "$build/pam_sls.so" ]; then
	[ -n "$pam" ] || fail "the package lacks pam_sls.so"
	has_dep libpam0g || fail "Depends lacks libpam0g (pam_sls.so)"
	[ -f "$tmp/x/usr/share/man/man8/pam_sls.8.gz" ] || fail "the package lacks pam_sls(8)"
	[ -n "$pam" ] && echo "ok: ${pam#"$tmp/x"} and pam_sls(8) in the package"
fi
grep -q '^Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/$' \
	"$tmp/x/usr/share/doc/sls/copyright" || fail "copyright is missing or not DEP-5"
gzip -t "$tmp/x/usr/share/doc/sls/changelog.gz" 2>/dev/null || fail "no gzipped changelog"
# lintian (scripts/deps.sh --test): no error; the warnings left are
# explained in docs/operations.md.
if command -v lintian >/dev/null 2>&1; then
	lint=$(lintian --allow-root --tag-display-limit 0 "$deb" 2>&1)
	echo "$lint" | sed 's/^/lintian: /'
	if echo "$lint" | grep -q '^E: '; then
		fail "lintian reports errors"
	else
		echo "ok: lintian: no error"
	fi
else
	fail "no lintian (scripts/deps.sh --test installs it)"
fi
for page in man8/slsd.8.gz man8/slsctl.8.gz man1/slstoken.1.gz man5/sls.conf.5.gz; do
	gzip -t "$root/usr/share/man/$page" || fail "$page is not gzipped"
	name=$(basename "$page")
	MANWIDTH=80 man -l "$root/usr/share/man/$page" 2>/dev/null | grep -q "^NAME" ||
		fail "man -l $name shows no NAME"
done
[ $bad -eq 0 ] && echo "ok: dpkg installed the programs, the unit, the man pages and the configuration"
for p in /usr/sbin/slsd /usr/bin/slsctl /usr/bin/slstoken; do
	out=$("$root$p" --version)
	case "$out" in
	"$(basename $p) $version"*) echo "ok: $out" ;;
	*) fail "$p --version: $out" ;;
	esac
done

# The postinst's user and the configuration's owner.
user=$(grep '^sls:' "$root/etc/passwd")
case "$user" in
sls:x:*:*:*:/var/lib/sls:/usr/sbin/nologin) echo "ok: $user" ;;
*) fail "user sls: '$user'" ;;
esac
gid=$(sed -n 's/^sls:[^:]*:\([0-9]*\):.*/\1/p' "$root/etc/group")
[ -n "$gid" ] || fail "no group sls"
own=$(stat -c '%u:%g %a' "$root/etc/sls/sls.conf")
[ "$own" = "0:$gid 640" ] || fail "/etc/sls/sls.conf is $own, expected 0:$gid 640"
"$root/usr/sbin/slsd" --check --config "$root/etc/sls/sls.conf" >/dev/null ||
	fail "the installed sls.conf fails slsd --check"

# Installing again keeps an edited configuration, its mode, and one user.
echo "; edited by the operator" >>"$root/etc/sls/sls.conf"
chmod 0600 "$root/etc/sls/sls.conf"
if ! dpkg_root -i "$deb" >"$tmp/dpkg2.log" 2>&1; then
	cat "$tmp/dpkg2.log"
	fail "dpkg -i over the installed package"
fi
grep -q '^; edited by the operator$' "$root/etc/sls/sls.conf" ||
	fail "reinstalling overwrote the edited /etc/sls/sls.conf"
[ "$(stat -c %a "$root/etc/sls/sls.conf")" = 600 ] ||
	fail "reinstalling changed the mode of /etc/sls/sls.conf"
[ "$(grep -c '^sls:' "$root/etc/passwd")" = 1 ] || fail "reinstalling added a second user sls"
[ $bad -eq 0 ] && echo "ok: reinstalling kept the edited configuration and the user"

# Remove keeps the configuration; purge removes it, and keeps the user.
dpkg_root -r sls >/dev/null 2>&1 || fail "dpkg -r"
[ ! -e "$root/usr/sbin/slsd" ] || fail "dpkg -r left /usr/sbin/slsd"
[ -f "$root/etc/sls/sls.conf" ] || fail "dpkg -r removed the configuration"
dpkg_root -P sls >/dev/null 2>&1 || fail "dpkg -P"
[ ! -e "$root/etc/sls/sls.conf" ] || fail "dpkg -P left /etc/sls/sls.conf"
grep -q '^sls:' "$root/etc/passwd" || fail "dpkg -P removed the user sls"
[ $bad -eq 0 ] && echo "ok: remove kept the configuration, purge removed it"
exit $bad
