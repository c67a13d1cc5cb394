#!/bin/sh
# examples/ci/router-check.sh: a CI job's test with cengine as the fixture: bring up
# router.conf, check the client reaches the server through the router, always tear down,
# exit with the check's status.
#   sudo examples/ci/router-check.sh            (CENGINE=path/to/cengine to use another binary)
set -u
here=$(dirname "$0")
conf=$here/../router.conf
cengine=${CENGINE:-cengine}

"$cengine" up "$conf" --quiet || exit 1
trap '"$cengine" down "$conf" --timeout 2 >/dev/null' EXIT

status=0
"$cengine" exec "$conf" client -- ping -c 3 -W 2 10.2.0.2 || status=1
# the one hop on the way is the router's lan address
hop=$("$cengine" exec "$conf" client -- traceroute -n -q 1 -w 2 -m 3 10.2.0.2 | awk 'NR==2{print $2}')
[ "$hop" = 10.1.0.254 ] || { echo "first hop is '$hop', expected 10.1.0.254"; status=1; }
echo "router check: $([ $status = 0 ] && echo passed || echo FAILED)"
exit $status
