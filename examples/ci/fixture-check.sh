#!/bin/sh
# examples/ci/fixture-check.sh: a CI job with fixture.conf as its fixture: up (which returns once the
# client's tests ran), read their results from the host, check they belong to the invoking user,
# always tear down, exit 0 only when every check passed.
#   sudo examples/ci/fixture-check.sh            (CENGINE=path/to/cengine to use another binary)
set -u
here=$(dirname "$0")
conf=$here/fixture.conf
results=$here/fixture/results
cengine=${CENGINE:-cengine}

rm -f "$results/result.txt" "$results/done"
"$cengine" up "$conf" --quiet || exit 1
trap '"$cengine" down "$conf" >/dev/null' EXIT

status=0
cat "$results/result.txt" || status=1
grep -q FAIL "$results/result.txt" && status=1
[ "$(grep -c '^ok ' "$results/result.txt")" = 3 ] || status=1
owner=$(stat -c %u "$results/result.txt")
[ "$owner" = "${SUDO_UID:-0}" ] || { echo "result.txt is owned by uid $owner, not ${SUDO_UID:-0}"; status=1; }
echo "fixture check: $([ $status = 0 ] && echo passed || echo FAILED)"
exit $status
