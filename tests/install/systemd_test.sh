#!/bin/sh
# slsd.service under a real systemd: a container (systemd-nspawn) boots this
# machine's own Debian, seen through an overlay on a tmpfs so that nothing is
# written to the machine, with the Debian package installed in it by dpkg;
# systemd starts slsd.service, `systemctl is-active` says active, /healthz
# answers on the container's own loopback (--private-network), and the unit
# stops. The container boots to basic.target only, so none of the machine's
# other services start in it. Skipped (77) without root, systemd-nspawn
# (Debian's systemd-container), systemd or overlayfs.
# usage: systemd_test.sh CPACK BUILD_DIR VERSION
set -u
cpack=$1
build=$2
version=$3
skip() {
	echo "skipped: $*"
	exit 77
}
[ "$(id -u)" -eq 0 ] || skip "booting a container needs root"
command -v systemd-nspawn >/dev/null 2>&1 || skip "no systemd-nspawn (Debian's systemd-container)"
[ -x /lib/systemd/systemd ] || skip "no systemd on this machine to boot"
grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null
grep -qw overlay /proc/filesystems || skip "no overlayfs"

tmp=$(mktemp -d)
root=$tmp/root
nspawn=""
cleanup() {
	if [ -n "$nspawn" ] && kill -0 "$nspawn" 2>/dev/null; then
		kill "$nspawn" 2>/dev/null
		sleep 2
		kill -9 "$nspawn" 2>/dev/null
	fi
	umount "$root" 2>/dev/null
	umount "$tmp/t" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
	echo "FAIL: $*"
	exit 1
}

if ! (cd "$build" && "$cpack" -G DEB) >"$tmp/cpack.log" 2>&1; then
	cat "$tmp/cpack.log"
	fail "cpack -G DEB"
fi
deb=$build/package/sls_${version}_$(dpkg --print-architecture).deb
[ -f "$deb" ] || fail "no $deb"

# The machine's root, read-only, under a writable layer in memory.
mkdir -p "$tmp/t" "$root"
mount -t tmpfs tmpfs "$tmp/t" || skip "cannot mount a tmpfs"
mkdir "$tmp/t/upper" "$tmp/t/work"
mount -t overlay overlay -o "lowerdir=/,upperdir=$tmp/t/upper,workdir=$tmp/t/work" "$root" ||
	skip "cannot mount an overlay of /"
# Its own machine id (the journal refuses the machine's), no man-db index
# rebuild in the package's trigger, and a boot to basic.target.
systemd-id128 new >"$root/etc/machine-id"
rm -f "$root/var/lib/man-db/auto-update"
ln -sf /lib/systemd/system/basic.target "$root/etc/systemd/system/default.target"
# A copy of the machine's package, if it has one, would hide the test's.
chroot "$root" dpkg --purge sls >/dev/null 2>&1
cp "$deb" "$root/tmp/sls.deb"
if ! chroot "$root" dpkg -i /tmp/sls.deb >"$tmp/dpkg.log" 2>&1; then
	cat "$tmp/dpkg.log"
	fail "dpkg -i in the container's root"
fi
echo "ok: dpkg installed $(basename "$deb") in the container's root"

systemd-nspawn -q -D "$root" --register=no --keep-unit --private-network \
	--machine=slstest -b >"$tmp/boot.log" 2>&1 &
nspawn=$!
# The container's PID 1: the child of systemd-nspawn that runs systemd.
leader=""
i=0
while [ $i -lt 60 ]; do
	for p in $(pgrep -P "$nspawn"); do
		case "$(cat "/proc/$p/comm" 2>/dev/null)" in
		systemd) leader=$p ;;
		esac
	done
	[ -n "$leader" ] && break
	kill -0 "$nspawn" 2>/dev/null || break
	sleep 0.5
	i=$((i + 1))
done
if [ -z "$leader" ]; then
	cat "$tmp/boot.log"
	skip "systemd-nspawn did not boot systemd on this machine"
fi
in_container() { nsenter -t "$leader" -a -r -w "$@"; }
# Booted: is-system-running answers running (or degraded) once the boot is done.
i=0
while [ $i -lt 60 ]; do
	state=$(in_container systemctl is-system-running 2>/dev/null)
	case "$state" in running | degraded) break ;; esac
	sleep 0.5
	i=$((i + 1))
done
case "$state" in
running | degraded) echo "ok: the container booted systemd ($state)" ;;
*)
	cat "$tmp/boot.log"
	skip "the container's systemd did not finish booting ($state)"
	;;
esac

bad=0
if in_container systemctl start slsd.service; then
	active=$(in_container systemctl is-active slsd.service)
	if [ "$active" = active ]; then
		echo "ok: systemctl start slsd: active"
	else
		bad=1
		echo "FAIL: systemctl is-active slsd: $active"
	fi
	health=$(nsenter -t "$leader" -n curl -s -m 5 http://127.0.0.1:8080/healthz)
	case "$health" in
	*'"status":"ok"'* | *'"status": "ok"'*) echo "ok: /healthz: $health" ;;
	*)
		bad=1
		echo "FAIL: /healthz answered '$health'"
		;;
	esac
	in_container systemctl stop slsd.service
	active=$(in_container systemctl is-active slsd.service)
	if [ "$active" = inactive ]; then
		echo "ok: systemctl stop slsd: inactive"
	else
		bad=1
		echo "FAIL: after systemctl stop, slsd is $active"
	fi
else
	bad=1
	echo "FAIL: systemctl start slsd"
fi
[ $bad -eq 0 ] || in_container journalctl -u slsd.service --no-pager | tail -n 30

in_container systemctl poweroff >/dev/null 2>&1
i=0
while kill -0 "$nspawn" 2>/dev/null && [ $i -lt 40 ]; do
	sleep 0.5
	i=$((i + 1))
done
exit $bad
