#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli.sh: the command line of every verb: --help, unknown options, bad numbers and values (exit 2, one line, nothing made), good spellings.
# Needs no root: nothing here brings a project up (its state goes to a CENGINE_STATE_DIR of its own).
. "$(dirname "$0")/../lib.sh"
[ -x "$CENGINE" ] || { echo "Bail out! no cengine binary at $CENGINE"; exit 1; }

PROJECT=t-cli-$$
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export CENGINE_STATE_DIR=$WORK/state
# the pair example, checked against an empty rootfs (never brought up: up and run get one that is missing)
mkdir "$WORK/rootfs"
sed -e "s|/srv/rootfs/demo|$WORK/rootfs|; s|^name = \"pair\"|name = \"$PROJECT\"|" "$TOP_SRCDIR/examples/pair.conf" >"$WORK/pair.conf"
sed -e "s|$WORK/rootfs|$WORK/missing|" "$WORK/pair.conf" >"$WORK/norootfs.conf"
CONF=$WORK/pair.conf
RUN=(--rootfs "$WORK/missing" --name "c$$" --ip 10.250.0.2/24)

# made PROJECT: anything of PROJECT on the host (state, lock, cgroups)
made() {
	ls -A "$CENGINE_STATE_DIR" 2>/dev/null
	ls -a /run/cengine 2>/dev/null | grep -F -- "$PROJECT" || true
	find /sys/fs/cgroup -maxdepth 4 -path "*cengine/$PROJECT*" 2>/dev/null
}

# bad PATTERN ARG...: `cengine ARG...` exits 2 with nothing on stdout and one line on stderr that
# matches the glob PATTERN
bad() {
	local want=$1 out rc err
	shift
	out=$("$CENGINE" "$@" 2>"$WORK/err")
	rc=$?
	err=$(cat "$WORK/err")
	# shellcheck disable=SC2053 # want is a glob
	if [ "$rc" = 2 ] && [ -z "$out" ] && [ "$(wc -l <"$WORK/err")" = 1 ] && [[ $err == $want ]]; then
		ok "cengine $*: exit 2, $err"
	else
		not_ok "cengine $*: exit 2 and one line $want"
		diag "rc $rc; stdout: $out"
		diag "stderr: $err"
	fi
}

# good RC PATTERN ARG...: `cengine ARG...` exits RC, its stderr matching PATTERN (the arguments were taken:
# no usage line, no "cengine: VERB:" complaint)
good() {
	local rc_want=$1 want=$2 rc err
	shift 2
	"$CENGINE" "$@" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	err=$(cat "$WORK/err")
	# shellcheck disable=SC2053
	if [ "$rc" = "$rc_want" ] && [[ $err == $want ]] && ! grep -q "usage:" "$WORK/err"; then
		ok "cengine $*: exit $rc_want"
	else
		not_ok "cengine $*: exit $rc_want, stderr $want"
		diag "rc $rc; stderr: $err"
	fi
}

before=$(made)

# --- --help and -h of every verb: usage on stdout, exit 0, even after other arguments
for verb in up down ps exec logs run check prune; do
	for h in --help -h; do
		out=$("$CENGINE" "$verb" $h 2>"$WORK/err")
		rc=$?
		if [ $rc = 0 ] && [ "$(head -n 1 <<<"$out")" = "usage: $(sed -n 's/^  \(cengine '"$verb"' .*\)/\1/p' <(
			"$CENGINE" --help) | head -n 1)" ] && [ "$(wc -l <<<"$out")" -ge 4 ] && [ ! -s "$WORK/err" ]; then
			ok "$verb $h: its usage and options, exit 0"
		else
			not_ok "$verb $h: its usage and options, exit 0 (rc $rc)"
			diag "$out"
		fi
	done
done
check_eq "down FILE --help: help wins over the operand" 0 "$("$CENGINE" down "$CONF" --help >/dev/null; echo $?)"

# --- unknown options, options without their value, missing and extra operands
for verb in up down ps exec logs run check prune; do
	bad "cengine: $verb: unknown option '--nosuch'; usage: cengine $verb *" "$verb" --nosuch x y
	bad "cengine: $verb: unknown option '-Z'; usage: cengine $verb *" "$verb" -Z x y
done
bad "cengine: up: option '--json' takes no value; usage: *" up --json=yes "$CONF"
bad "cengine: up: unknown option '-x'; usage: *" up -qx "$CONF"
bad "cengine: down: option '--timeout' needs a value; usage: *" down "$PROJECT" --timeout
bad "cengine: down: option '-t' needs a value; usage: *" down "$PROJECT" -t
bad "cengine: logs: option '--tail' needs a value; usage: *" logs "$PROJECT" a --tail
bad "cengine: exec: option '-e' needs a value; usage: *" exec "$CONF" -e
bad "cengine: run: option '--rootfs' needs a value; usage: *" run --rootfs
bad "cengine: up: FILE is missing; usage: cengine up FILE *" up --quiet
bad "cengine: up: one FILE, not also 'b'; usage: *" up a b
bad "cengine: down: FILE|PROJECT is missing; usage: *" down --timeout 1
bad "cengine: down: one FILE|PROJECT, not also 'b'; usage: *" down a b
bad "cengine: ps: one FILE|PROJECT at most, not also 'b'; usage: *" ps a b
bad "cengine: logs: NAME is missing; usage: *" logs "$PROJECT"
bad "cengine: logs: FILE|PROJECT is missing; usage: *" logs -f
bad "cengine: logs: FILE|PROJECT and NAME only, not also 'c'; usage: *" logs a b c
bad "cengine: exec: FILE is missing; usage: *" exec
bad "cengine: exec: NAME is missing; usage: *" exec "$CONF"
bad "cengine: exec: CMD is missing; usage: *" exec "$CONF" centos1
bad "cengine: exec: CMD is missing; usage: *" exec "$CONF" centos1 --
bad "cengine: run: --rootfs or --image is missing; usage: *" run --name x --ip 10.250.0.2/24 -- true
bad "cengine: run: --ip is missing; usage: *" run --rootfs / --name x -- true
bad "cengine: run: CMD is missing; usage: *" run "${RUN[@]}"
bad "cengine: check: FILE is missing; usage: cengine check FILE" check
bad "cengine: check: one FILE, not also 'b'; usage: *" check a b
bad "cengine: prune: no operand expected, not 'x'; usage: *" prune x
bad "cengine: a verb is missing: *"
bad "cengine: unknown verb 'frob': *" frob "$CONF"

# --- numbers: all of the text, in range, no overflow
bad "cengine: down: --timeout: 'abc' is not a number of seconds" down --timeout abc "$PROJECT"
bad "cengine: down: --timeout: '-1' is not a number of seconds from 0 to 86400" down --timeout -1 "$PROJECT"
bad "cengine: down: --timeout: '1e9' is not a number of seconds from 0 to 86400" down "$PROJECT" --timeout 1e9
bad "cengine: down: --timeout: '1s' is not a number of seconds" down "$PROJECT" -t 1s
bad "cengine: down: --timeout: '' is not a number of seconds" down "$PROJECT" --timeout=
bad "cengine: down: --timeout: ' 1' is not a number of seconds" down "$PROJECT" --timeout " 1"
bad "cengine: down: --timeout: 'nan' is not a number of seconds" down "$PROJECT" --timeout nan
bad "cengine: down: --timeout: 'inf' is not a number of seconds" down "$PROJECT" --timeout inf
bad "cengine: down: --timeout: '0x10' is not a number of seconds" down "$PROJECT" --timeout 0x10
bad "cengine: logs: --tail: '1x' is not a number of lines" logs --tail 1x "$PROJECT" a
bad "cengine: logs: --tail: '99999999999999999999' is not a number of lines from 0 to *" logs --tail 99999999999999999999 "$PROJECT" a
bad "cengine: logs: --tail: '-1' is not a number of lines from 0 to *" logs -n -1 "$PROJECT" a
bad "cengine: logs: --tail: '1.5' is not a number of lines" logs "$PROJECT" a --tail=1.5
bad "cengine: run: --cpu: 'abc' is not a number of CPUs" run --cpu abc "${RUN[@]}" -- true
bad "cengine: run: --cpu: '1e999' is out of range for a number of CPUs" run "${RUN[@]}" --cpu 1e999 -- true
bad "cengine: run: --pids: '1x' is not a number of processes" run --pids 1x "${RUN[@]}" -- true
bad "cengine: run: --pids: '99999999999999999999' is out of range for a number of processes" run --pids 99999999999999999999 "${RUN[@]}" -- true
# (the limits' ranges are the file's: the parser says why, for the flag)
bad "cengine: run: --pids: must be greater than 0, got 0" run --pids 0 --rootfs "$WORK/rootfs" --name "c$$" --ip 10.250.0.2/24 -- true

# --- other values
bad "cengine: exec: --env: 'FOO' is not KEY=VAL" exec -e FOO "$CONF" centos1 -- true
bad "cengine: exec: --env: '=x' is not KEY=VAL" exec "$CONF" centos1 --env==x -- true
bad "cengine: exec: --workdir: 'tmp' is not an absolute path" exec -w tmp "$CONF" centos1 -- true
bad "cengine: run: --ip: 10.250.0.2 is not A.B.C.D/P with P from 8 to 30" run --rootfs "$WORK/rootfs" --name x --ip 10.250.0.2 -- true

check_eq "bad arguments made nothing" "$before" "$(made)"

# --- good spellings still parse: options before or after operands, grouped, abbreviated, with =, after --
good 0 "" check "$CONF"
good 0 "" check -- "$CONF"
check "check prints the plan of the pair" grep -q "^container centos2:" "$WORK/out"
good 0 "" down "$PROJECT" --timeout 1
good 0 "" down --timeout 1 "$CONF"
good 0 "" down -t 0.5 "$PROJECT"
good 0 "" down "$PROJECT" -t0
good 0 "" down --timeout=2.5 "$PROJECT"
good 0 "" down --time 1 "$PROJECT"
good 0 "" down -- "$PROJECT"
good 0 "" down nonexistent-project-$$ --timeout 1
check_eq "with POSIXLY_CORRECT too, an option after the operand is read (and this one refused)" 2 \
	"$(POSIXLY_CORRECT=1 "$CENGINE" down "$PROJECT" --timeout abc 2>/dev/null; echo $?)"
good 0 "" ps "$CONF" --json
check "ps --json of a project that is not up: its document" grep -q "\"project\": *\"$PROJECT\"" "$WORK/out"
good 0 "" ps --json "$PROJECT"
# up and run reach the file (or the flags' project) with every option taken: the missing rootfs is the complaint
good 2 "$WORK/norootfs.conf:*: defaults.rootfs: *" up "$WORK/norootfs.conf" --quiet --json
good 2 "$WORK/norootfs.conf:*: defaults.rootfs: *" up -q -- "$WORK/norootfs.conf"
good 2 "cengine: run: --rootfs: *" run -it --cpu 0.5 --pids 10 --memory 10M "${RUN[@]}" -- true
good 2 "cengine: run: --rootfs: *" run "${RUN[@]}" --interactive --tty --cpu=1 sh -c true
good 2 "cengine: run: --rootfs: *" run "${RUN[@]}" -- sh --help
# exec and logs of a project that is not up: the arguments were taken, the runtime says it is not up (1)
not_up="cengine: project $PROJECT is not up*"
good 1 "$not_up" exec -it -e A=1 --env=B=2 -w /tmp --workdir=/ "$CONF" centos1 -- true
good 1 "$not_up" exec "$CONF" -e A=1 centos1 -- sh -c 'exit 3'
good 1 "$not_up" exec "$CONF" centos1 ls --help
good 1 "$not_up" exec "$CONF" centos1 -- -x
good 1 "$not_up" logs -f --tail=3 "$CONF" centos1
good 1 "$not_up" logs "$PROJECT" centos1 -n 0
good 1 "$not_up" logs --follow "$PROJECT" centos1 --tail 99

check_eq "nothing of the project is left" "$before" "$(made)"
finish
