#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ops.sh: day-two verbs on a real project: readiness, names, ps (table and JSON), logs, exec -it/-e/-w, restart, already up, --help.
. "$(dirname "$0")/../lib.sh"
require_root
command -v python3 >/dev/null || skip_all "python3 is needed for the pty and JSON checks"

setup_project ops
ROOTFS=$(busybox_rootfs)
PTY="python3 $TOP_SRCDIR/tests/ptyrun.py"

# a: its ready command only succeeds once the command made /tmp/booted, 1.5 s after start
# b: named by hostname "bee"; r: fails every 0.2 s and is restarted by its pid 1; d: exits on its own
write_conf "$CONF" 'memory = "50M"; pids = 64;' <<CONF
  { name = "a"; ip = "$NET.2";
    command = [ "sh", "-c", "echo out-$$; echo err-$$ >&2; sleep 1.5; touch /tmp/booted; echo late-$$; exec sleep 1000" ];
    ready = [ "test", "-e", "/tmp/booted" ]; ready_timeout = 20; },
  { name = "b"; hostname = "bee"; ip = "$NET.3"; },
  { name = "r"; ip = "$NET.4"; restart = "on-failure"; command = [ "sh", "-c", "echo try; sleep 0.2; exit 3" ]; },
  { name = "d"; ip = "$NET.5"; command = [ "sh", "-c", "echo bye; exit 4" ]; }
CONF

json() { python3 -c "import json,sys; d=json.load(sys.stdin); $1"; }

# --- --help for every verb
for verb in up down ps exec logs run check; do
	out=$("$CENGINE" "$verb" --help 2>&1)
	rc=$?
	if [ $rc = 0 ] && grep -q "^usage: cengine $verb" <<<"$out" && [ "$(wc -l <<<"$out")" -ge 3 ]; then
		ok "$verb --help explains the verb"
	else
		not_ok "$verb --help explains the verb (rc $rc)"
		diag "$out"
	fi
done

# --- bash completion: verbs, and container names of a file
check_eq "completion: verbs" "exec export" "$(complete_words cengine ex)"
check_eq "completion: container names of FILE for exec" "a b r d" "$(complete_words cengine exec "$CONF" "")"
check_eq "completion: options of logs" "--follow" "$(complete_words cengine logs --f)"
check_eq "completion: options of prune" "--dry-run" "$(complete_words cengine prune --d)"

before=$(snapshot "$CONF")
check "down of a project that is not up succeeds" "$CENGINE" down "$CONF"

# --- readiness: up returns only once a's ready command succeeds; quiet when stdout is not a terminal
start=$(date +%s%N)
up_out=$("$CENGINE" up "$CONF")
up_rc=$?
took=$((($(date +%s%N) - start) / 1000000))
check_eq "up exits 0" 0 "$up_rc"
check_eq "up prints nothing when stdout is not a terminal" "" "$up_out"
check "up waited for the ready command (took ${took} ms, command needs 1500)" test "$took" -ge 1400
check "right after up, a's ready condition holds inside a" "$CENGINE" exec "$CONF" a -- test -e /tmp/booted

# --- names: every container by name and hostname
check "a pings b by name" "$CENGINE" exec "$CONF" a -- ping -c 1 -W 2 b
check "a pings b by hostname" "$CENGINE" exec "$CONF" a -- ping -c 1 -W 2 bee
check "b's /etc/hosts lists a" "$CENGINE" exec "$CONF" b -- grep -q "^$NET.2[[:space:]].*a" /etc/hosts

# --- already up: says so, changes nothing
pid_a=$("$CENGINE" ps "$CONF" --json | json 'print([c["pid"] for c in d["containers"] if c["name"]=="a"][0])')
again=$("$CENGINE" up "$CONF")
check_eq "up of an up project exits 0" 0 $?
check "and says it is already up" grep -q "already up" <<<"$again"
check_eq "and a keeps its pid" "$pid_a" "$("$CENGINE" ps "$CONF" --json | json 'print([c["pid"] for c in d["containers"] if c["name"]=="a"][0])')"

# --- ps table, once r has failed and been restarted 3 times and d has exited
restarts_of_r() { "$CENGINE" ps "$CONF" --json | json 'print(d["containers"][2]["restarts"])'; }
settled() { [ "$(restarts_of_r)" -ge 3 ] && "$CENGINE" ps "$CONF" | grep -q "^$PROJECT *d *exited("; }
check "r is restarted 3 times and d exits (within 15 s)" wait_for 15 settled
ps_out=$("$CENGINE" ps "$CONF")
check_eq "ps header" "PROJECT NAME STATE PID CPU% MEM MEMMAX PIDS OOM ADDRESSES" "$(head -n 1 <<<"$ps_out" | tr -s ' ')"
row_a=$(grep "^$PROJECT *a " <<<"$ps_out" | tr -s ' ')
check "ps: a running with its pid, 50M max and address" grep -q "^$PROJECT a running $pid_a [0-9.]* [0-9.]*[KMB] 50M [0-9]* 0 eth0=$NET.2/24$" <<<"$row_a"
check "ps: d exited(4)" grep -q "^$PROJECT *d *exited(4) " <<<"$ps_out"

# --- ps --json
doc=$("$CENGINE" ps "$CONF" --json)
since_up=$((($(date +%s%N) - start) / 1000000))
check_eq "json: project and network" "$PROJECT lan $BRIDGE $NET.0/24 $NET.1" \
	"$(json 'n=d["networks"][0]; print(d["project"], n["name"], n["bridge"], n["subnet"], n["gateway"])' <<<"$doc")"
check_eq "json: containers in file order" "a b r d" "$(json 'print(" ".join(c["name"] for c in d["containers"]))' <<<"$doc")"
check_eq "json: b's hostname, state and address" "bee running ['$NET.3/24']" \
	"$(json 'c=d["containers"][1]; print(c["hostname"], c["state"], c["addresses"])' <<<"$doc")"
check "json: a's pid is a live process whose cgroup is the one named" \
	grep -q "$(json 'print(d["containers"][0]["cgroup"])' <<<"$doc")" "/proc/$pid_a/cgroup"
check_eq "json: d exited with 4, no pid" "exited 4 None" \
	"$(json 'c=d["containers"][3]; print(c["state"], c["exit_code"], c["pid"])' <<<"$doc")"
check "json: started_at is an ISO time" \
	grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$' <<<"$(json 'print(d["containers"][0]["started_at"])' <<<"$doc")"
check_eq "json: memory_max is the limit" 52428800 "$(json 'print(d["containers"][0]["memory_max"])' <<<"$doc")"
check "json: a uses memory and pids" test "$(json 'c=d["containers"][0]; print(int(c["memory_current"]>0 and c["pids"]>=1))' <<<"$doc")" = 1
check "ps --json without FILE is an array holding this project" \
	test "$("$CENGINE" ps --json | json "print(int('$PROJECT' in [p['project'] for p in d]))")" = 1
check_eq "up --json on an up project prints the same document shape" "$PROJECT 4" \
	"$("$CENGINE" up "$CONF" --json | json 'print(d["project"], len(d["containers"]))')"

# --- restart by pid 1 with backoff
restarts=$(json 'print(d["containers"][2]["restarts"])' <<<"$doc")
check "r was restarted (restarts=$restarts after $since_up ms)" test "$restarts" -ge 3
# each try runs 0.2 s; without a backoff r would be restarted every 0.2 s or sooner
check "with backoff: not more than one restart per 0.3 s (restarts=$restarts in $since_up ms)" \
	test $((restarts * 300)) -le $((since_up + 300))
pid_r1=$(json 'print(d["containers"][2]["pid"])' <<<"$doc")
# the backoff doubles (0.1 s .. 10 s): after 6 restarts the next one is 6.4 s away
restarted_again() { [ "$(restarts_of_r)" -gt "$restarts" ]; }
check "r's restarts grow (within 15 s)" wait_for 15 restarted_again
check_eq "r keeps its pid 1 while the command restarts" "$pid_r1" "$("$CENGINE" ps "$CONF" --json | json 'print(d["containers"][2]["pid"])')"
check "r's log shows one line per try" test "$("$CENGINE" logs "$CONF" r | grep -c '^try$')" -ge 4

# --- logs
logs=$("$CENGINE" logs "$CONF" a)
check "logs: stdout and stderr of a" grep -qx "err-$$" <<<"$logs"
check_eq "logs: in order" "out-$$ err-$$ late-$$" "$(tr '\n' ' ' <<<"$logs" | sed 's/ $//')"
check_eq "logs --tail 1" "late-$$" "$("$CENGINE" logs --tail 1 "$CONF" a)"
check_eq "logs by project name" "bye" "$("$CENGINE" logs "$PROJECT" d)"
out=$(timeout 10 "$CENGINE" logs -f "$CONF" d)
check_eq "logs -f of an exited container ends by itself" "0 bye" "$? $out"
timeout 1 "$CENGINE" logs -f "$CONF" a >"$WORK/follow" &
follow_pid=$!
wait $follow_pid
check_eq "logs -f of a running container keeps following (until stopped)" 124 $?
check "logs of an unknown container fails" test "$("$CENGINE" logs "$CONF" nosuch >/dev/null 2>&1; echo $?)" = 1

# --- exec: status, -e, -w
check_eq "exec passes the exit status through" 7 "$("$CENGINE" exec "$CONF" a -- sh -c 'exit 7'; echo $?)"
check_eq "exec -e -w" "bar /proc a" "$("$CENGINE" exec -e FOO=bar -w /proc "$CONF" a -- sh -c 'echo $FOO $(pwd) $HOSTNAME')"
check_eq "exec -e replaces a variable" "/x" "$("$CENGINE" exec -e PATH=/x "$CONF" a -- /bin/sh -c 'echo $PATH')"
check_eq "exec of a missing command is 127" 127 "$("$CENGINE" exec "$CONF" a -- nosuchcmd 2>/dev/null; echo $?)"

# --- exec -it: a pty whose size follows ours, input, ^C, exit status
# the command says "armed" once its WINCH trap is set; it prints the size it gets on SIGWINCH; a trapped
# signal ends busybox's read early, so it reads again
out=$($PTY --size 33x101 --on armed winch:44x120 --on '44 120' 'hello\r' -- "$CENGINE" exec -it "$CONF" a -- \
	sh -c 'trap "stty size" WINCH; stty size; tty; stat -c %U "$(tty)"; echo armed; until read x; do :; done; echo got=$x; stty size; exit 5')
check "exec -it: the terminal is in the container's /dev/pts, owned by its root" grep -q -A1 "^/dev/pts/[0-9]*.$" <<<"$out"
check_eq "exec -it: ... owned by its root" root "$(grep -A1 '^/dev/pts/' <<<"$out" | tail -n 1 | tr -d '\r')"
check "exec -it: the pty has our window size" grep -q "^33 101" <<<"$out"
check "exec -it: typed input reaches the command" grep -q "^got=hello" <<<"$out"
check "exec -it: a resize reaches the command" grep -q "^44 120" <<<"$out"
check "exec -it: exit status passed through" grep -q "^exit=5" <<<"$out"
out=$($PTY --on waiting '\x03' -- "$CENGINE" exec -it "$CONF" a -- sh -c 'trap "echo caught-int; exit 9" INT; echo waiting; while :; do sleep 0.1; done')
check "exec -it: ^C reaches the command as SIGINT" grep -q "caught-int" <<<"$out"
check "exec -it: and its status comes back" grep -q "^exit=9" <<<"$out"
check_eq "exec without -t has no terminal" 1 "$("$CENGINE" exec "$CONF" a -- sh -c 'test -t 0' </dev/null; echo $?)"

# --- down, and nothing is left, including d that exited on its own
check "down" "$CENGINE" down "$CONF"
check_eq "nothing left after down" "$before" "$(snapshot "$CONF")"
check "down again succeeds" "$CENGINE" down "$CONF"

# --- up --json from down: the document once everything is ready
doc=$("$CENGINE" up "$CONF" --json)
check_eq "up --json: one document, every container running with its address" \
	"$PROJECT a:running:$NET.2/24 b:running:$NET.3/24 r:running:$NET.4/24 d:" \
	"$(json 'print(d["project"], " ".join(c["name"] + ":" + (c["state"] + ":" + c["addresses"][0] if c["name"] != "d" else "") for c in d["containers"]))' <<<"$doc")"
check "down" "$CENGINE" down "$CONF"

# --- progress lines on a terminal, none with --quiet
# on_terminal CMD...: CMD on a pty as a person's shell runs it: a job of its own (set -m) of the shell
# that leads the terminal's session
on_terminal() { $PTY -- bash -c 'set -m; "$@"; exit $?' on_terminal "$@"; }
# answer: each container named answers an exec (a zombie init still shows as running in ps)
answer() { local c; for c; do "$CENGINE" exec "$CONF" "$c" -- true || return 1; done; }
out=$(on_terminal "$CENGINE" up "$CONF")
check "on a terminal up prints one line per container" test "$(grep -cE '^ +(a|b|r|d) +started' <<<"$out")" = 4
check "and when a is ready" grep -qE '^ +a +ready' <<<"$out"
check "and a, b and r run on after it" answer a b r
check "down" "$CENGINE" down "$CONF"
out=$(on_terminal "$CENGINE" up "$CONF" --quiet)
check_eq "up --quiet on a terminal exits 0 and prints nothing" "exit=0" "$(tr -d '\r' <<<"$out" | grep -v '^$')"
check_eq "... and the project is up: a, b and r run" "a running|b running|r running" \
	"$("$CENGINE" ps "$CONF" | awk '$2 ~ /^[abr]$/ { print $2, $3 }' | paste -sd'|')"
check "... and answer" answer a b r
check "... a is ready" "$CENGINE" exec "$CONF" a -- test -e /tmp/booted
check "down" "$CENGINE" down "$CONF"
# up as the leader of the terminal's session (`ssh -t HOST cengine up FILE`): its exit hangs the terminal up,
# which must not reach the containers (their pid 1 has a session of its own)
out=$($PTY -- "$CENGINE" up "$CONF" --quiet)
check_eq "up as the terminal's session leader exits 0" "exit=0" "$(tr -d '\r' <<<"$out" | grep -v '^$')"
check "the containers outlive an up that led the terminal's session" answer a b r
check_eq "... and still run" "a running|b running|r running" \
	"$("$CENGINE" ps "$CONF" | awk '$2 ~ /^[abr]$/ { print $2, $3 }' | paste -sd'|')"
check "down" "$CENGINE" down "$CONF"

# --- run -it: the same pty handling
out=$($PTY --size 30x90 --on waiting '\x03' -- "$CENGINE" run -it --rootfs "$ROOTFS" --name "ri$$" --ip "$NET.9/24" -- \
	sh -c 'stty size; trap "echo caught-int; exit 6" INT; echo waiting; while :; do sleep 0.1; done')
check "run -it: the pty has our window size" grep -q "^30 90" <<<"$out"
# screen_has PATTERN SCREEN: grep -q, and the screen printed when it fails (check shows it)
screen_has() { grep -q "$1" <<<"$2" || { tr -d '\r' <<<"$2"; return 1; }; }
check "run -it: ^C reaches the command" screen_has "caught-int" "$out"
check "run -it: exit status" screen_has "^exit=6" "$out"
check_eq "nothing left after all" "$before" "$(snapshot "$CONF")"
finish
