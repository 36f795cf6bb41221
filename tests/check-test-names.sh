#!/usr/bin/env bash
# Test names that catch_discover_tests registers but that never run: a name starting with '-' is read by Catch
# as an option when CTest passes it back ("--help ..." prints the help and passes), and a ';' splits it into
# two names that match nothing. Fails listing each such TEST_CASE under tests/.
#   tests/check-test-names.sh TESTS_DIR
set -euo pipefail
bad=$(find "$1" -name '*.cpp' -print0 | xargs -0 perl -0777 -ne \
  'while (/TEST_CASE\(\s*"((?:[^"\\]|\\.)*)"/g) { my $n = $1; print "$ARGV: $n\n" if $n =~ /^-|;/ }')
if [[ -n "$bad" ]]; then
  echo "test names that CTest cannot run:" >&2
  echo "$bad" >&2
  exit 1
fi
