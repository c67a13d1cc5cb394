#!/bin/sh
# SPDX-License-Identifier: MIT
# guest.sh: inside the QEMU guest: run the tests and print them as one TAP stream ("vm NAME: ...") between markers on the console.
OPT=/opt/cengine
SRC=$OPT/src
export CENGINE=$OPT/cengine TOP_SRCDIR=$SRC STRESS_ROOTFS=/var/tmp/cengine-test-cache/stress-rootfs
export TEST_CACHE=/var/tmp/cengine-test-cache CMOCKA_MESSAGE_OUTPUT=TAP DEV_PROBE=$OPT/probe_dev
TESTS=$(cat $OPT/tests 2>/dev/null || echo "test_cgroup pair.sh limits.sh limits-stress.sh security/escape_dev.sh fixture_mounts.sh security/escape_fixture.sh doctor_layout.sh exec_cgroup.sh")
COUNT=/tmp/tap-count
echo 0 >"$COUNT"

# renumber NAME: one test's TAP on stdin -> global numbering with "vm NAME:" names;
# a missing plan, a bail-out or a count short of the plan becomes "not ok".
renumber() {
	awk -v name="$1" -v n="$(cat "$COUNT")" -v rc_file=/tmp/tap-rc -v count="$COUNT" '
	function emit(status, rest) { n++; printf "%s %d - vm %s: %s\n", status, n, name, rest; fflush() }
	/^(not )?ok( |$)/ {
		status = ($1 == "not") ? "not ok" : "ok"
		rest = $0; sub(/^(not )?ok *[0-9]* *-? */, "", rest)
		emit(status, rest); seen++; next }
	/^1\.\.0/ { skip = $0; sub(/^1\.\.0 *#? *(SKIP|skip)? */, "", skip); plan = 0; planned = 1; next }
	/^1\.\.[0-9]+/ { plan = substr($1, 4) + 0; planned = 1; next }
	/^Bail out!/ { emit("not ok", $0); bailed = 1; next }
	{ print "# " $0; fflush() }
	END {
		getline rc < rc_file
		if (planned && plan == 0 && !seen) emit("ok", "# SKIP " skip)
		else if (!planned && !bailed) emit("not ok", "no TAP plan (status " rc ")")
		else if (planned && seen < plan) emit("not ok", seen " of " plan " tests ran")
		print n > count
	}'
}

echo "# guest: $(uname -r) $(uname -m), pid 1 $(cat /proc/1/comm), cgroup2 controllers: $(cat /sys/fs/cgroup/cgroup.controllers), $(nproc) CPUs, tests start $(cut -d" " -f1 /proc/uptime) s after boot"
echo CENGINE-VM-TAP-BEGIN
[ ! -e $OPT/debug.sh ] || bash $OPT/debug.sh 2>&1 | sed 's/^/# debug: /'
for t in $TESTS; do
	case $t in
	test_*) set -- "$SRC/tests/cmocka-tap" "$OPT/unit/$t" ;;
	*/*) set -- bash "$SRC/tests/$t" ;;	# security/escape_dev.sh
	*) set -- bash "$SRC/tests/integration/$t" ;;
	esac
	if [ "$t" = "${t#test_}" ] || [ -x "$OPT/unit/$t" ]; then
		{ "$@" 2>&1; echo $? >/tmp/tap-rc; } | renumber "$t"
	fi
done
echo "1..$(cat "$COUNT")"
echo CENGINE-VM-TAP-END
