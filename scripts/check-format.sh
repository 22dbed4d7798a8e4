#!/bin/sh
# Fails when any C file of the project differs from what clang-format makes of it.
set -eu
CF=${1:-clang-format}
files=$(git ls-files '*.c' '*.h' 2>/dev/null || find src tests bench -name '*.[ch]')
[ -n "$files" ] || exit 0
# shellcheck disable=SC2086
"$CF" --dry-run -Werror $files
echo "format: $(echo "$files" | wc -w) files clean"
