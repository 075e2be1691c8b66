#!/bin/sh
# expect_failure.sh STATUS PATTERN COMMAND... - a negative test: COMMAND must exit with STATUS and print a line
# matching the grep pattern PATTERN (fixed string); anything else fails.
want=$1 pattern=$2
shift 2
output=$("$@" 2>&1)
got=$?
if [ "$got" -eq "$want" ] && printf '%s\n' "$output" | grep -qF -- "$pattern"; then
  echo "negative test passed: $* -> exit $got, \"$pattern\""
else
  printf '%s\n' "$output" | tail -5
  echo "negative test FAILED: $* exited $got (wanted $want) or did not print \"$pattern\""
  exit 1
fi
