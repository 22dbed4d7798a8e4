#!/bin/sh
# Builds sls twice (plain, and with AddressSanitizer + UndefinedBehaviorSanitizer),
# runs every test in both; then builds a Release for the prefix /usr and runs
# only its installation tests there (--version, man pages, the install tree
# and unit, the Debian package in build-release/package); closes with one
# summary line.
set -u
JOBS=$(nproc 2>/dev/null || echo 2)
passed=0
failed=0

run_suite() { # $1 build dir, $2 ctest's -R (empty: every test), $3... extra cmake flags
	dir=$1
	only=$2
	shift 2
	echo "== building $dir $*"
	if ! cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null ||
		! cmake --build "$dir" -j "$JOBS"; then
		echo "== build failed: $dir"
		failed=$((failed + 1))
		return
	fi
	echo "== testing $dir"
	log="$dir/ctest.log"
	(cd "$dir" && ctest --output-on-failure -j 1 ${only:+-R "$only"}) 2>&1 | tee "$log"
	p=$(sed -n 's/.* \([0-9][0-9]*\) tests passed.*//p; s/^[0-9]*% tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\2 \1/p' "$log" | tail -n 1)
	if [ -z "$p" ]; then
		failed=$((failed + 1))
		return
	fi
	total=${p% *}
	bad=${p#* }
	passed=$((passed + total - bad))
	failed=$((failed + bad))
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
run_suite build ""
# The sanitizer build runs its API suite in two processes, not three: each slsd
# is several times slower there (two passed on a machine at load average 10 to 15).
run_suite build-asan "" -DSLS_SANITIZE=ON -DSLS_TEST_WORKERS=2
run_suite build-release '^install\.' -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr
echo "summary: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
