#!/bin/sh
# examples/ci/fixture-check.sh: a CI job with fixture.conf as its fixture: bring it up, wait for the client's
# status in examples/ci/fixture/results, always tear down, exit with that status.
#   sudo examples/ci/fixture-check.sh            (CENGINE=path/to/cengine to use another binary)
set -u
here=$(dirname "$0")
conf=$here/fixture.conf
results=$here/fixture/results
cengine=${CENGINE:-cengine}

rm -f "$results/status" "$results/report.txt"
"$cengine" up "$conf" --quiet || exit 1
trap '"$cengine" down "$conf" --timeout 2 >/dev/null' EXIT
i=0
until [ -s "$results/status" ] || [ "$i" -ge 300 ]; do	# at most 30 s
	i=$((i + 1))
	sleep 0.1
done
cat "$results/report.txt" 2>/dev/null
status=$(cat "$results/status" 2>/dev/null || echo 1)
echo "fixture check: $([ "$status" = 0 ] && echo passed || echo FAILED)"
exit "$status"
