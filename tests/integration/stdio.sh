#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# stdio.sh: exec and run without -t relay stdin, stdout and stderr through pipes: data intact, EOF, exit status, signals.
. "$(dirname "$0")/../lib.sh"
require_root
command -v python3 >/dev/null || unavailable "python3 is needed to drive a terminal"

setup_project stdio
subnets RUNNET
ROOTFS=$(busybox_rootfs)
PTY="python3 $TOP_SRCDIR/tests/ptyrun.py"
write_conf "$CONF" 'pids = 64;' <<CONF
  { name = "a"; ip = "$NET.2"; },
  { name = "b"; ip = "$NET.3"; userns = false; }
CONF
RUNNAME=st$$
at_exit "'$CENGINE' down 'run-$RUNNAME' --timeout 1 >/dev/null 2>&1"
before=$(snapshot "$CONF")
check "up" "$CENGINE" up "$CONF"

# 8 MB of random bytes, and what they hash to
head -c 8000000 /dev/urandom >"$WORK/blob"
sum=$(sha256sum <"$WORK/blob" | cut -d' ' -f1)
for c in a b; do
	check_eq "$c: echo x | exec cat" "x" "$(echo x | x "$c" -- cat)"
	check_eq "$c: exec < file: 8 MB of binary reach the command intact" "$sum" \
		"$(x "$c" -- sha256sum <"$WORK/blob" | cut -d' ' -f1)"
	check_eq "$c: ... and come back intact (cat)" "$sum" "$(x "$c" -- cat <"$WORK/blob" | sha256sum | cut -d' ' -f1)"
	check_eq "$c: 20 MB of output" 20971520 "$(x "$c" -- dd if=/dev/zero bs=1048576 count=20 2>/dev/null | wc -c)"
	x "$c" -- sh -c 'echo out; echo err >&2' >"$WORK/out" 2>"$WORK/err"
	check_eq "$c: stdout and stderr stay apart" "out|err" "$(cat "$WORK/out")|$(cat "$WORK/err")"
	check_eq "$c: EOF: read at the end of stdin fails" "rc=1" "$(x "$c" -- sh -c 'read x; echo rc=$?' </dev/null)"
	check_eq "$c: the exit status" 7 "$(x "$c" -- sh -c 'exit 7'; echo $?)"
	check_eq "$c: killed by a signal: 128+9" 137 "$(x "$c" -- sh -c 'kill -9 $$'; echo $?)"
	# a command that reads no input, fed more than a pipe holds; one whose reader goes away
	head -c 10000000 /dev/zero | timeout 20 "$CENGINE" exec "$CONF" "$c" -- true
	check_eq "$c: exec of a command that reads nothing returns (10 MB offered)" 0 "${PIPESTATUS[1]}"
	out=$(timeout 20 "$CENGINE" exec "$CONF" "$c" -- yes | head -n 1; echo "${PIPESTATUS[0]}")
	check_eq "$c: yes | head -n 1: exec ends when its reader goes (yes: SIGPIPE)" "y 141" "$(echo $out)"
	# what runs on in the background does not hold exec (or our terminal) once the command is gone
	start=$(now_ms)
	out=$(timeout 20 "$CENGINE" exec "$CONF" "$c" -- sh -c 'sleep 30 & echo started')
	check "$c: a background process does not hold exec (took $(($(now_ms) - start)) ms)" \
		test "$out" = started -a $(($(now_ms) - start)) -lt 10000
	# signals sent to exec go to the command: SIGINT (^C of a foreground exec) and SIGTERM; a job of its
	# own (set -m), as a shell's foreground job, so SIGINT is not ignored as for `&`
	for sig in INT TERM; do
		set -m
		"$CENGINE" exec "$CONF" "$c" -- sh -c "trap 'echo got-$sig; exit 3' $sig; echo ready; while :; do sleep 0.1; done" \
			>"$WORK/sig" 2>&1 &
		pid=$!
		set +m
		wait_for 10 grep -q ready "$WORK/sig"
		kill -"$sig" $pid
		wait $pid
		rc=$?
		check_eq "$c: SIG$sig to exec reaches the command, its status comes back" "3 got-$sig" \
			"$rc $(grep got "$WORK/sig")"
	done
done

# exec without -t on a terminal: typed input still reaches the command, through the pipe
out=$($PTY --on ready 'hello\r' -- "$CENGINE" exec "$CONF" a -- sh -c 'test -t 0 || echo no-tty; echo ready; read x; echo got=$x')
check "exec on a terminal without -t: the command has no terminal" grep -q "^no-tty" <<<"$out"
check "... and typed input reaches it" grep -q "^got=hello" <<<"$out"

# run without -t: the same pipes
out=$(echo piped | "$CENGINE" run --rootfs "$ROOTFS" --name "$RUNNAME" --ip "$RUNNET.2/24" -- sh -c 'cat; test -t 0 || echo no-tty; exit 4')
rc=$?
check_eq "run: stdin reaches the command, it has no terminal, its status comes back" "piped no-tty 4" "$(echo $out) $rc"
check "run left no project" test ! -e "/run/cengine/run-$RUNNAME"
# signals the caller ignores (a background job ignores SIGINT and SIGQUIT) are not the command's: run's and exec's
# command start with every standard signal at its default (SigIgn's bits of signals 1-31; glibc keeps 32 and 33)
std_ignored() { local m; m=$(awk '/^SigIgn:/ {print $2}' <<<"$1"); [ -n "$m" ] && printf '%x\n' $((0x$m & 0x7fffffff)); }
ign=$( (trap '' INT QUIT; "$CENGINE" run --rootfs "$ROOTFS" --name "$RUNNAME" --ip "$RUNNET.2/24" -- grep SigIgn /proc/self/status) )
check_eq "run from a caller that ignores SIGINT and SIGQUIT: the command ignores none of signals 1-31" 0 "$(std_ignored "$ign")"
ign=$( (trap '' INT QUIT; "$CENGINE" exec "$CONF" a -- grep SigIgn /proc/self/status) )
check_eq "exec from such a caller: the command ignores none either" 0 "$(std_ignored "$ign")"

check "down" "$CENGINE" down "$CONF"
check_eq "nothing left" "$before" "$(snapshot "$CONF")"
finish
