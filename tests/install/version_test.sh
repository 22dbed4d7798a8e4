#!/bin/sh
# The three programs print the same version, the project's (CMakeLists.txt),
# as "NAME VERSION" or "NAME VERSION (git describe)", and exit 0.
# usage: version_test.sh VERSION SLSD SLSCTL SLSTOKEN
set -u
want=$1
shift
bad=0
for prog in "$@"; do
	name=$(basename "$prog")
	if ! out=$("$prog" --version); then
		echo "FAIL: $name --version exits $?"
		bad=1
		continue
	fi
	case "$out" in
	"$name $want" | "$name $want ("*")") echo "ok: $out" ;;
	*)
		echo "FAIL: $name --version printed '$out', expected '$name $want'"
		bad=1
		;;
	esac
done
exit $bad
