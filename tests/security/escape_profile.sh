#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# escape_profile.sh: the profile class (issues #12 classes 6 and 8, #19): io_uring, default limits, the exec profile, the
# subuid range, escaping, the flags of run and hostile files; with and without the user namespace, each way must fail, and how.
. "$(dirname "$0")/escape_lib.sh"
need python3 "python3 is needed (JSON and tar fixtures)"
need setpriv "setpriv (util-linux) is needed"

use_probe PROFILE_PROBE probe_profile
setup_project prof
subnets NET2 NET3

# the busybox tree plus the static probe; no memory and no pids: the defaults are under test
ROOTFS=$WORK/rootfs
cp -a "$(busybox_rootfs)" "$ROOTFS"
cp "$PROBE" "$ROOTFS/bin/probe-profile"
write_conf "$CONF" <<CONF
  { name = "userns"; ip = "$NET.2"; },
  { name = "nouserns"; ip = "$NET.3"; userns = false; }
CONF

# attempt, then the expected result with a user namespace, and without (userns = false); "n/a": no container of
# either kind is involved (the attempt is on the host: flags, files)
# shellcheck disable=SC2034 # read by expect_table (escape_lib.sh)
EXPECT="
io_uring_setup     EPERM     EPERM     io_uring_setup(2): a ring runs calls where seccomp does not look
io_uring_enter     EPERM     EPERM     io_uring_enter(2)
io_uring_register  EPERM     EPERM     io_uring_register(2)
sethostname        EPERM     EPERM     sethostname(2) with ESC and bytes that are not UTF-8
fork_bomb          EAGAIN    EAGAIN    fork until it fails, no pids in the file (default 4096)
root_capacity      capped    capped    statfs(/): the tmpfs of its writes, no memory in the file (1/4 RAM)
exec_other_file    recorded  recorded  exec through a second file with cap_add ALL, seccomp and userns false
subuid_signal      EPERM     EPERM     kill -0 pid 1 as the subuid range useradd hands out (and /etc/subuid's)
uid_range          unowned   off       the host uids of its user namespace (ps --json) against every owned id
hostname_json      escaped   escaped   /etc/hostname with ESC, BEL, C1 and bytes not UTF-8 through ps --json
unpack_error       escaped   escaped   a tarball entry named ../ESC[31mevil NEWLINE line: the up error line
run_flags          refused   n/a       run --name/--ip/--memory/--cpu/--pids with '; userns = false; ...'
run_rootfs_value   inert     n/a       run --rootfs of a directory named '...\"; seccomp = false; ...'
run_relative       cwd       n/a       run --rootfs REL: the working directory's, not one planted in /tmp
include_fifo       refused   n/a       check FILE that @includes a FIFO
down_fifo          returns   n/a       down FIFO
huge_group         refused   n/a       check FILE with a group of 100,000 settings (35 s in libconfig)
"

declare -A GOT	# GOT[container:attempt]

# got CONTAINER ATTEMPT RESULT
got() { GOT[$1:$2]=$3; }

before=$(snapshot "$CONF")
check "up returns 0" "$CENGINE" up "$CONF"

# ---- inside: the probe
ram_quarter=$(awk '$1 == "MemTotal:" { printf "%.0f\n", $2 * 1024 / 4 }' /proc/meminfo)
for c in userns nouserns; do
	out=$(x "$c" -- probe-profile io_uring_setup io_uring_enter io_uring_register sethostname root_capacity 2>&1)
	for a in io_uring_setup io_uring_enter io_uring_register sethostname; do
		got "$c" "$a" "$(awk -v a="$a" '$1 == a { print $2 }' <<<"$out")"
	done
	cap=$(awk '$1 == "root_capacity" { print $2 }' <<<"$out")
	diag "$c: / holds at most ${cap:-?} bytes; a quarter of the RAM is $ram_quarter"
	if [[ $cap =~ ^[0-9]+$ ]] && [ "$cap" -gt 0 ] && [ "$cap" -le $((ram_quarter + 4096)) ]; then got "$c" root_capacity capped
	else got "$c" root_capacity "uncapped(${cap:-?})"; fi
	bomb=$(x "$c" -- probe-profile fork_bomb 2>&1 | awk '$1 == "fork_bomb" { print $2, $3 }')
	diag "$c: the fork bomb: ${bomb:-?} (errno, children)"
	if [ "${bomb%% *}" = EAGAIN ] && [ "${bomb##* }" -le 4096 ]; then got "$c" fork_bomb EAGAIN
	else got "$c" fork_bomb "${bomb:-none}"; fi
done
for c in userns nouserns; do
	f=$(ls /sys/fs/cgroup/pids/cengine/"$PROJECT"/$c/pids.max "$(cg_v2_dir "$PROJECT" $c)"/pids.max 2>/dev/null | head -n 1)
	check_eq "host: $c's pids.max is the default 4096" 4096 "$(cat "$f" 2>/dev/null)"
done

# ---- exec through another file: the same names, everything the profile could loosen
sed -e 's|^defaults = { \(.*\) };$|defaults = { \1 cap_add = [ "ALL" ]; seccomp = false; userns = false; };|' "$CONF" >"$WORK/other.conf"
check "the second file says cap_add ALL, seccomp and userns false" grep -q 'cap_add = \[ "ALL" \]; seccomp = false; userns = false;' "$WORK/other.conf"
for c in userns nouserns; do
	st=$("$CENGINE" exec "$WORK/other.conf" "$c" -- sh -c 'grep -E "^(CapEff|Seccomp):" /proc/self/status' 2>"$WORK/exec.err")
	eff=$(awk '$1 == "CapEff:" { print $2 }' <<<"$st") sec=$(awk '$1 == "Seccomp:" { print $2 }' <<<"$st")
	diag "$c through the second file: CapEff ${eff:-?}, Seccomp ${sec:-?}; stderr: $(cat "$WORK/exec.err")"
	if [ "$eff" = 00000000a80425fb ] && [ "$sec" = 2 ]; then got "$c" exec_other_file recorded
	else got "$c" exec_other_file "ESCAPED(CapEff=$eff,Seccomp=$sec)"; fi
	check_eq "$c: the second file is reported in one line" 1 "$(grep -c 'are not applied' "$WORK/exec.err")"
	check_eq "$c: its own file gives the same and says nothing" "$st|" \
		"$("$CENGINE" exec "$CONF" "$c" -- sh -c 'grep -E "^(CapEff|Seccomp):" /proc/self/status' 2>&1)|"
done

# ---- the subuid range: uids a host user may hold must not be the containers' (SUB_UID_MIN, /etc/subuid)
owned_by_users=$({ awk '$1 == "SUB_UID_MIN" { print $2 }' /etc/login.defs 2>/dev/null || true; echo 100000
	awk -F: '$2 ~ /^[0-9]+$/ { print $2 }' /etc/subuid 2>/dev/null; } | sort -un)
top=$({ awk -F: '$2 ~ /^[0-9]+$/ && $3 ~ /^[0-9]+$/ { print $2 + $3 }' /etc/subuid /etc/subgid 2>/dev/null
	awk -F: '$3 ~ /^[0-9]+$/ && $3 < 4294901760 { print $3 + 1 }' /etc/passwd /etc/group
	awk -F: '$4 ~ /^[0-9]+$/ && $4 < 4294901760 { print $4 + 1 }' /etc/passwd; } | sort -n | tail -n 1)
root_range=$(awk -F: '$1 == "root" || $1 == "0" { print $2; exit }' /etc/subuid 2>/dev/null)
"$CENGINE" ps "$CONF" --json >"$WORK/ps.json"
for c in userns nouserns; do
	pid=$(pid_of "$CONF" "$c") verdict=EPERM
	for u in $owned_by_users; do
		out=$(setpriv --reuid="$u" --regid="$u" --clear-groups -- /bin/sh -c "kill -0 $pid" 2>&1) &&
			verdict="ESCAPED(uid $u signals pid $pid)"
		[ -n "$out" ] && [[ $out != *"Operation not permitted"* ]] && verdict="unclear($out)"
	done
	got "$c" subuid_signal "$verdict"
	uid=$(python3 -c 'import json, sys
u = {c["name"]: c["userns"] for c in json.load(open(sys.argv[1]))["containers"]}[sys.argv[2]]
print(u["uid"] if u else "off")' "$WORK/ps.json" "$c" 2>/dev/null)
	diag "$c: ps --json says its root is host uid ${uid:-?}; ids owned up to $top; root's own range ${root_range:-none}"
	if [ "$uid" = off ]; then got "$c" uid_range off
	elif [[ $uid =~ ^[0-9]+$ ]] && { [ "$uid" = "$root_range" ] || [ "$uid" -ge "$top" ]; }; then got "$c" uid_range unowned
	else got "$c" uid_range "owned($uid)"; fi
done

# ---- a hostname no terminal or JSON reader should get raw
for c in userns nouserns; do
	check_eq "$c writes its /etc/hostname" "write_hostname written" "$(x "$c" -- probe-profile write_hostname 2>&1)"
done
"$CENGINE" ps "$CONF" --json >"$WORK/ps.json"
for c in userns nouserns; do
	host=$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
print(ascii([c["hostname"] for c in d["containers"] if c["name"] == sys.argv[2]][0]))' "$WORK/ps.json" "$c" 2>&1)
	diag "$c: ps --json hostname: $host"
	if ! python3 -m json.tool <"$WORK/ps.json" >/dev/null 2>&1; then got "$c" hostname_json invalid-json
	elif LC_ALL=C grep -q $'[\x01-\x1f\x7f]' <(tr -d '\n' <"$WORK/ps.json"); then got "$c" hostname_json raw-controls
	elif [ "$host" = "'\\x1b]0;pwned\\x07\\ufffd\\ufffd\\x9b31m\\x1b[2Jx'" ]; then got "$c" hostname_json escaped
	else got "$c" hostname_json "other($host)"; fi
done
check "ps --json escapes them in its text: \\u001b, \\u009b, \\ufffd (hex in either case)" grep -qi '\\u001b]0;pwned\\u0007\\ufffd\\ufffd\\u009b31m' "$WORK/ps.json"
check "ps --json is ASCII only (jansson's JSON_ENSURE_ASCII): no raw C1, bidi or invalid byte" \
	bash -c "! LC_ALL=C grep -q \$'[\x80-\xff]' '$WORK/ps.json'"

# ---- an archive entry name with ESC and a newline that fails to unpack
python3 - "$WORK/evil.tar" <<'PY'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w", format=tarfile.PAX_FORMAT) as t:
    for name, data in (("etc/os-release", b"ID=evil\n"), ("../\x1b[31mevil\nline", b"x")):
        info = tarfile.TarInfo(name)
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
PY
for c in userns nouserns; do
	userns=true
	[ "$c" = nouserns ] && userns=false
	PROJECT=$PROJECT-t$c NETWORKS="{ name = \"lan\"; subnet = \"$NET2.0/24\"; }" ROOTFS=$WORK/evil.tar \
		write_conf "$WORK/tar-$c.conf" "userns = $userns;" <<<"  { name = \"$c\"; ip = \"$NET2.2\"; }"
	tar_before=$(snapshot "$WORK/tar-$c.conf")
	"$CENGINE" up --quiet "$WORK/tar-$c.conf" >/dev/null 2>"$WORK/tar.err"
	rc=$?
	diag "$c: up of the archive: exit $rc, $(wc -l <"$WORK/tar.err") line(s): $(cat -v "$WORK/tar.err")"
	if [ "$rc" != 1 ]; then got "$c" unpack_error "exit-$rc"
	elif [ "$(wc -l <"$WORK/tar.err")" != 1 ] || LC_ALL=C grep -q $'\x1b' "$WORK/tar.err"; then got "$c" unpack_error raw
	elif grep -qF '\x1b[31mevil\x0aline' "$WORK/tar.err"; then got "$c" unpack_error escaped
	else got "$c" unpack_error "other"; fi
	check_eq "$c: the failed up of the archive leaves nothing" "$tar_before" "$(snapshot "$WORK/tar-$c.conf")"
done

# ---- run: the flags are values of their keys, never text of the file
RUN=(--rootfs "$ROOTFS" --name "r$$" --ip "$NET3.2/24")
at_exit "'$CENGINE' down run-r$$ --timeout 0 >/dev/null 2>&1"
payload='"; userns = false; seccomp = false; cap_add = [ "ALL" ]; x = "'
refused=refused
for args in "--name|r$$$payload" "--ip|$NET3.2/24$payload" "--memory|50M$payload" \
	"--cpu|1; userns = false; seccomp = false; cap_add = [\"ALL\"]" "--pids|64; seccomp = false"; do
	flag=${args%%|*} value=${args#*|}
	"$CENGINE" run "${RUN[@]}" "$flag" "$value" -- true </dev/null >/dev/null 2>"$WORK/run.err"
	rc=$?
	diag "run $flag '$value': exit $rc: $(cat "$WORK/run.err")"
	[ "$rc" = 2 ] && [ "$(wc -l <"$WORK/run.err")" = 1 ] && grep -q "^cengine: run: $flag: " "$WORK/run.err" || refused="ran($flag)"
done
got userns run_flags "$refused"
mkdir "$WORK/r$payload" && cp -a "$ROOTFS/." "$WORK/r$payload/"
st=$("$CENGINE" run --rootfs "$WORK/r$payload" --name "r$$" --ip "$NET3.2/24" -- \
	sh -c 'grep -E "^(CapEff|Seccomp):" /proc/self/status; awk "{print \$2}" /proc/self/uid_map' </dev/null 2>&1)
diag "run --rootfs '$WORK/r$payload': $(paste -sd' ' <<<"$st")"
if [ "$(awk '$1 == "CapEff:" { print $2 }' <<<"$st")" = 00000000a80425fb ] && [ "$(awk '$1 == "Seccomp:" { print $2 }' <<<"$st")" = 2 ] &&
	[ "$(tail -n 1 <<<"$st")" != 0 ]; then got userns run_rootfs_value inert
else got userns run_rootfs_value "ESCAPED"; fi
rel=profile-rel-$$
mkdir "/tmp/$rel" && cp -a "$ROOTFS/." "/tmp/$rel/" && echo planted >"/tmp/$rel/marker"
at_exit "rm -rf '/tmp/$rel'"
mkdir "$WORK/$rel" && cp -a "$ROOTFS/." "$WORK/$rel/" && echo mine >"$WORK/$rel/marker"
seen=$(cd "$WORK" && "$CENGINE" run --rootfs "$rel" --name "r$$" --ip "$NET3.2/24" -- cat /marker </dev/null 2>&1)
diag "run --rootfs $rel from $WORK: the container's /marker says '$seen'"
if [ "$seen" = mine ]; then got userns run_relative cwd
else got userns run_relative "other($seen)"; fi

# ---- hostile files: whatever check and down are given, they answer
mkfifo "$WORK/fifo.conf"
printf 'name = "p%s";\n@include "%s"\n' $$ "$WORK/fifo.conf" >"$WORK/incfifo.conf"	# absolute: libconfig took it from the cwd
out=$(timeout 10 "$CENGINE" check "$WORK/incfifo.conf" 2>&1)
rc=$?
diag "check FILE that includes a FIFO: exit $rc: $out"
if [ "$rc" = 2 ] && [[ $out == *"fifo.conf: not a regular file" ]]; then got userns include_fifo refused
else got userns include_fifo "$([ "$rc" = 124 ] && echo hang || echo "exit-$rc")"; fi
timeout 10 "$CENGINE" down "$WORK/fifo.conf" >/dev/null 2>&1
rc=$?
if [ "$rc" = 0 ]; then got userns down_fifo returns; else got userns down_fifo "$([ "$rc" = 124 ] && echo hang || echo "exit-$rc")"; fi
python3 -c 'print("defaults = { " + " ".join("k%d = 1;" % i for i in range(100000)) + " };")' >"$WORK/group.conf"
start=$(now_ms)
out=$(timeout 10 "$CENGINE" check "$WORK/group.conf" 2>&1)
rc=$?
diag "check FILE with a group of 100,000 settings: exit $rc after $(($(now_ms) - start)) ms: $out"
if [ "$rc" = 2 ] && [[ $out == *"group: more than 128 settings" ]]; then got userns huge_group refused
else got userns huge_group "$([ "$rc" = 124 ] && echo hang || echo "exit-$rc")"; fi

# ---- the table
expect_result() {
	if [ "$3" = n/a ]; then return; fi
	check_eq "$1: $2 fails: $3" "$3" "$4"
}
result() { if [ "$2" = u ]; then echo "${GOT[userns:$1]:-}"; else echo "${GOT[nouserns:$1]:-n/a}"; fi; }
expect_table 18 result expect_result

check "down returns 0" "$CENGINE" down "$CONF"
check_eq "down leaves the host as before up" "$before" "$(snapshot "$CONF")"
check "no run project is left" test ! -e "/run/cengine/run-r$$"
finish
