#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# escape_term.sh: the terminal and process group of whoever runs cengine (issue #12 class 1, #19 item 4): from inside
# containers (user namespace on, and off), TIOCSTI, /dev/tty, reading what is typed next and kill(0) must not reach them.
. "$(dirname "$0")/escape_lib.sh"
need python3 "python3 is needed to drive a terminal"
need setsid "setsid (util-linux) is needed"

use_probe TERM_PROBE probe_term
PTY="python3 $TOP_SRCDIR/tests/ptyrun.py"
setup_project term
subnets RUNNET SIGNETU SIGNETR

# the busybox tree plus the static probe: a rootfs of this test's own
ROOTFS=$WORK/rootfs
cp -a "$(busybox_rootfs)" "$ROOTFS"
cp "$PROBE" "$ROOTFS/bin/probe_term"
M=$WORK/ran	# an injected line would create $M-WHO-WHERE on the host
# every container: its command and its ready command reach for the terminal of whoever runs up
entry() {
	echo "{ name = \"$1\"; ip = \"$2\"; $3 command = [ \"sh\", \"-c\", \"probe_term inject cmd_$4 $M-cmd_$4; exec probe_term idle\" ];
	    ready = [ \"probe_term\", \"-o\", \"/tmp/ready.out\", \"inject\", \"ready_$4\", \"$M-ready_$4\" ]; }"
}
write_conf "$CONF" 'pids = 64;' <<CONF
  $(entry userns "$NET.2" "" u),
  $(entry nouserns "$NET.3" "userns = false;" r)
CONF
# signals: a project per container whose ready command sends SIGTERM to its process group and to -1
sigconf() {
	PROJECT=$PROJECT-sig$1 NETWORKS="{ name = \"lan\"; subnet = \"$2.0/24\"; gateway = \"$2.1\"; bridge = \"$BRIDGE$1\"; }" \
		write_conf "$WORK/sig-$1.conf" 'pids = 64; command = [ "probe_term", "idle" ]; ready_timeout = 5;' <<CONF
  { name = "$3"; ip = "$2.2"; $4 ready = [ "probe_term", "-o", "/tmp/ready.out", "killgroup", "ready_kill_$1" ]; }
CONF
}
sigconf u "$SIGNETU" userns ""
sigconf r "$SIGNETR" nouserns "userns = false;"
RUNNAME=tr$$
at_exit "'$CENGINE' down 'run-$RUNNAME' --timeout 1 >/dev/null 2>&1; '$CENGINE' down 'run-${RUNNAME}t' --timeout 1 >/dev/null 2>&1"
# the host's /dev/tty: its device and times (put back should an attempt set them)
HOSTDEV=$(stat -c %d /dev/tty)
TTY_TIMES=$(stat -c '%X %Y' /dev/tty)
before=$(snapshot "$CONF")
sig_before=$(snapshot "$WORK/sig-u.conf"; snapshot "$WORK/sig-r.conf")

# --- an administrator's interactive root shell on a terminal: up (ready commands), exec, exec -t, run
SECRET=typed-after-$$
cat >"$WORK/rc" <<RC
PS1='adm\$ '
bind 'set enable-bracketed-paste off'
C='$CENGINE' F='$CONF' M='$M' R='$ROOTFS'
RC
step() { STEPS+=(--on 'adm$ ' "$1\\r"); }
STEPS=()
step '$C up $F'
step '$C exec $F userns -- probe_term inject exec_u $M-exec_u'
step '$C exec $F nouserns -- probe_term inject exec_r $M-exec_r'
step '$C exec $F userns -- probe_term steal steal_u /tmp/steal'
step ": $SECRET-u"
step '$C exec $F nouserns -- probe_term steal steal_r /tmp/steal'
step ": $SECRET-r"
step '$C exec -t $F userns -- probe_term ownpty pty_u $M-pty_u'
step '$C exec -t $F nouserns -- probe_term ownpty pty_r $M-pty_r'
step "\$C run --rootfs \$R --name $RUNNAME --ip $RUNNET.2/24 -- probe_term inject run_u \$M-run_u"
step "\$C run -t --rootfs \$R --name ${RUNNAME}t --ip $RUNNET.2/24 -- probe_term ownpty runt_u \$M-runt_u"
step 'echo sy""nc-$((6 * 7))'
STEPS+=(--on 'sync-42' 'exit\r')
$PTY "${STEPS[@]}" -- env -i PATH="$PATH" HOME=/root TERM=xterm bash --rcfile "$WORK/rc" --noprofile -i >"$WORK/screen" 2>&1
tr -d '\r' <"$WORK/screen" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' >"$WORK/results"
check "the shell session ran to its end" grep -q '^exit=0$' "$WORK/results"
"$CENGINE" logs "$CONF" userns >>"$WORK/results" 2>&1
"$CENGINE" logs "$CONF" nouserns >>"$WORK/results" 2>&1
# per container (u: userns, r: nouserns): its ready command's lines, its /dev/tty, and what the background
# reader of steal_u / steal_r got after its exec returned
for c in u r; do
	name=userns
	[ $c = u ] || name=nouserns
	x "$name" -- cat /tmp/ready.out >>"$WORK/results" 2>&1
	x "$name" -- probe_term devtty "node_$c" "$HOSTDEV" >>"$WORK/results" 2>&1
	# the host's /dev/tty is written to by others (its times move): only the probe's 12345 counts
	if [ "$(stat -c '%X %Y' /dev/tty)" = "12345 12345" ]; then
		echo "node_${c}_host_devtty set-by-container"
		touch -a -d "@${TTY_TIMES% *}" /dev/tty && touch -m -d "@${TTY_TIMES#* }" /dev/tty
	else
		echo "node_${c}_host_devtty untouched"
	fi >>"$WORK/results"
	wait_for 10 x "$name" -- test -s /tmp/steal	# the reader's first line: what it holds
	got=$(x "$name" -- cat /tmp/steal 2>&1)
	echo "steal_${c}_reader $(head -n 1 <<<"$got" | tr ' ' '-')" >>"$WORK/results"
	if grep -q "$SECRET" <<<"$got"; then echo "steal_${c}_secret READ"; else echo "steal_${c}_secret unread"; fi >>"$WORK/results"
done
# what ran in the administrator's shell: an injected line creates $M-WHO_C-WHERE
for who in cmd ready exec pty run runt; do
	for c in u r; do
		ran=$(cd "$WORK" && ls -d "ran-${who}_$c"-* 2>/dev/null | sed "s/^ran-${who}_$c-//" | paste -sd, -)
		echo "${who}_${c}_shell_ran ${ran:-nothing}" >>"$WORK/results"
	done
done

# --- signals: a host script in its own process group runs up, whose ready command does kill(0) and kill(-1);
# then it runs exec of the same
for c in u r; do
	name=userns
	[ $c = u ] || name=nouserns
	rm -f "$WORK/said"
	setsid -w bash -c '"$1" up "$2" >/dev/null 2>&1; echo "returned $?" >"$3"' _ "$CENGINE" "$WORK/sig-$c.conf" "$WORK/said"
	echo "ready_${c}_kill_script $( (cat "$WORK/said" 2>/dev/null || echo killed) | tr ' ' '-')" >>"$WORK/results"
	"$CENGINE" exec "$WORK/sig-$c.conf" "$name" -- cat /tmp/ready.out >>"$WORK/results" 2>&1
	rm -f "$WORK/said"
	setsid -w bash -c '"$1" exec "$2" "$3" -- probe_term killgroup exec_kill_$4; echo "returned $?" >"$5"' \
		_ "$CENGINE" "$CONF" "$name" "$c" "$WORK/said" >>"$WORK/results" 2>&1
	echo "exec_${c}_kill_script $( (cat "$WORK/said" 2>/dev/null || echo killed) | tr ' ' '-')" >>"$WORK/results"
done
check "the containers' commands outlived kill(-1) of exec" "$CENGINE" exec "$CONF" userns -- true

# attempt, then the expected result with a user namespace, and without (userns = false); "-": not possible there
# shellcheck disable=SC2034 # read by expect_table (escape_lib.sh)
EXPECT="
cmd_tiocsti_fd0       ENOTTY     ENOTTY     the container's command at up: TIOCSTI on its stdin
cmd_tiocsti_fd1       ENOTTY     ENOTTY     ... on its stdout
cmd_tiocsti_fd2       ENOTTY     ENOTTY     ... on its stderr
cmd_open_devtty       ENXIO      ENXIO      ... open /dev/tty (its controlling terminal)
cmd_tty_fds           none       none       ... terminals among its fds
cmd_shell_ran         nothing    nothing    ... what its TIOCSTI ran in the administrator's shell
ready_tiocsti_fd0     ENOTTY     ENOTTY     a ready command during up: TIOCSTI on its stdin
ready_tiocsti_fd1     ENOTTY     ENOTTY     ... on its stdout
ready_tiocsti_fd2     ENOTTY     ENOTTY     ... on its stderr
ready_open_devtty     ENXIO      ENXIO      ... open /dev/tty
ready_tty_fds         none       none       ... terminals among its fds
ready_shell_ran       nothing    nothing    ... what ran in the administrator's shell
exec_tiocsti_fd0      ENOTTY     ENOTTY     exec without -t from the shell: TIOCSTI on stdin
exec_tiocsti_fd1      ENOTTY     ENOTTY     ... on stdout
exec_tiocsti_fd2      ENOTTY     ENOTTY     ... on stderr
exec_open_devtty      ENXIO      ENXIO      ... open /dev/tty
exec_tty_fds          none       none       ... terminals among its fds
exec_shell_ran        nothing    nothing    ... what ran in the administrator's shell
steal_reader          none       none       exec, then a background reader of the terminal after exec returned
steal_secret          unread     unread     ... the line typed next in the shell
pty_pty_fds           own,own,own own,own,own exec -t: fds 0-2 are the container's own pty
pty_devtty            own        own        ... and so is /dev/tty
pty_shell_ran         nothing    nothing    ... TIOCSTI there feeds only that pty, not the shell
run_tiocsti_fd0       ENOTTY     -          run without -t from the shell: TIOCSTI on stdin
run_tiocsti_fd1       ENOTTY     -          ... on stdout
run_tiocsti_fd2       ENOTTY     -          ... on stderr
run_open_devtty       ENXIO      -          ... open /dev/tty
run_tty_fds           none       -          ... terminals among its fds
run_shell_ran         nothing    -          ... what ran in the administrator's shell
runt_shell_ran        nothing    -          run -t: TIOCSTI into the pty made for it does not reach the shell
node_devtty_node      own        own        /dev/tty inside: the host's inode, or the container's own node
node_touch_devtty     EPERM      changed    ... set its times (its own node may change)
node_host_devtty      untouched  untouched  ... the host's /dev/tty keeps its times
ready_kill_script     returned-0 returned-0 a host script in its own group runs up; ready does kill(0), kill(-1)
exec_kill_script      returned-0 returned-0 ... runs exec of kill(0), kill(-1): the script survives, exec returns 0
"
# result ATTEMPT u|r: the probe's line PREFIX_u_SUFFIX (the attempt's first word is the prefix)
result() { awk -v n="${1%%_*}_$2_${1#*_}" '$1 == n { print $2; exit }' "$WORK/results"; }
# an attempt that has no side without the user namespace is "-" there
expect_result() { [ "$3" = - ] && [ "$1" = nouserns ] || check_eq "$1: $2 fails ($5)" "$3" "$4"; }
expect_table 20 result expect_result
check "no line of the probes ran in the shell" sh -c "! ls '$WORK'/ran-* 2>/dev/null"

check "down returns 0" "$CENGINE" down "$CONF"
check "down of the signal projects returns 0" "$CENGINE" down "$WORK/sig-u.conf"
check "... both" "$CENGINE" down "$WORK/sig-r.conf"
check_eq "down leaves the host as before up" "$before" "$(snapshot "$CONF")"
check_eq "... and of the signal projects" "$sig_before" "$(snapshot "$WORK/sig-u.conf"; snapshot "$WORK/sig-r.conf")"
check "run and run -t left no project behind" test ! -e "/run/cengine/run-$RUNNAME" -a ! -e "/run/cengine/run-${RUNNAME}t"
[ "$TAP_FAILED" = 0 ] || diag "$(cat "$WORK/screen")"
finish
