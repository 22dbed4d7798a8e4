#!/bin/sh
# The man pages: mandoc -T lint finds nothing (style included), man -l renders
# each without a warning, and every option and command that a program's
# --help prints is in its page (the keys of sls.conf(5) are checked against
# the config table by test_server_config).
# usage: man_test.sh MANDOC MANDIR SLSD SLSCTL SLSTOKEN
#   MANDIR holds slsd.8, slsctl.8, slstoken.1 and sls.conf.5 as built.
set -u
mandoc=$1
dir=$2
slsd=$3
slsctl=$4
slstoken=$5
bad=0
fail() {
	echo "FAIL: $*"
	bad=1
}

pages="$dir/slstoken.1 $dir/sls.conf.5 $dir/slsctl.8 $dir/slsd.8"
# pam_sls(8) when the PAM module is built.
[ -f "$dir/pam_sls.8" ] && pages="$pages $dir/pam_sls.8"
# All at once, from their folder, so that their references to each
# other are found.
if out=$(cd "$dir" && "$mandoc" -T lint -W style $(for p in $pages; do basename "$p"; done) 2>&1) &&
	[ -z "$out" ]; then
	echo "ok: mandoc -T lint -W style: no message"
else
	fail "mandoc -T lint:"
	echo "$out"
fi

if command -v man >/dev/null 2>&1; then
	for p in $pages; do
		err=$(MANWIDTH=80 man -l "$p" 2>&1 >/dev/null)
		if [ -n "$err" ]; then
			fail "man -l $p:"
			echo "$err"
		fi
	done
	[ $bad -eq 0 ] && echo "ok: man -l renders each page without a message"
else
	fail "no man(1) to render the pages with (scripts/deps.sh installs man-db)"
fi

# Every --option of PROG --help is in PAGE as "Fl -option", after PREFIX
# (".It " for slsd: each option has its own entry; "" for the commands'
# options, which are named in their command's entry).
check_options() { # $1 program, $2 page, $3 prefix
	n=0
	for opt in $("$1" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		n=$((n + 1))
		# mdoc writes the first dash itself: --config is "Fl -config".
		if ! grep -Eq "$3Fl ${opt#-}( |$)" "$2"; then
			fail "$(basename "$1") --help has $opt, $(basename "$2") has not"
		fi
	done
	[ "$n" -gt 0 ] || fail "$(basename "$1") --help shows no option"
	echo "checked: $n options of $(basename "$1") in $(basename "$2")"
}
# Every command of PROG --help (the lower-case words that start a line
# indented by two spaces under "commands:") is in PAGE as ".It Cm WORDS".
check_commands() { # $1 program, $2 page
	n=0
	cmds=$("$1" --help | awk '
		/^commands:/ { on = 1; next }
		/^[^ ]/ { on = 0 }
		on && /^  [a-z]/ {
			w = ""
			for (i = 1; i <= NF; i++) {
				if ($i !~ /^[a-z][a-z-]*$/) break
				w = w (w == "" ? "" : " ") $i
			}
			print w
		}' | sort -u)
	# Command names hold no spaces of their own: read them line by line.
	while IFS= read -r c; do
		[ -n "$c" ] || continue
		n=$((n + 1))
		if ! grep -Eq "^\.It Cm $c( |$)" "$2"; then
			fail "$(basename "$1") has the command '$c', $(basename "$2") has not"
		fi
	done <<-EOF_CMDS
		$cmds
	EOF_CMDS
	[ "$n" -gt 0 ] || fail "$(basename "$1") --help shows no command"
	echo "checked: $n commands of $(basename "$1") in $(basename "$2")"
}
check_options "$slsd" "$dir/slsd.8" '^\.It '
check_options "$slsctl" "$dir/slsctl.8" ''
check_commands "$slsctl" "$dir/slsctl.8"
check_options "$slstoken" "$dir/slstoken.1" ''
check_commands "$slstoken" "$dir/slstoken.1"
exit $bad
