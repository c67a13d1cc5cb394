#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# escape_disk.sh: the disk class: from containers with and without a user namespace, their output reaches no host file
# and stays within the log cap; a tarball rootfs cannot unpack past its caps or leave trees behind; prune clears the cache.
. "$(dirname "$0")/escape_lib.sh"

use_probe DISK_PROBE probe_disk
need python3 "python3 is needed to make the tarballs"
need zstd "zstd is needed to make the zip bomb"
need lsattr "lsattr (e2fsprogs) is needed to read file flags"
setup_project dsk

# the busybox tree plus the static probe; this test's own rootfs cache (prune and the checks see only it)
ROOTFS=$WORK/rootfs
cp -a "$(busybox_rootfs)" "$ROOTFS"
cp "$PROBE" "$ROOTFS/bin/probe_disk"
export CENGINE_ROOTFS_CACHE=$WORK/cache
STATE=/run/cengine/$PROJECT

# u, n: the output attempts, once the test opens the gate (a running `logs -f` watches); fu, fn: 100 MiB of
# output under a 1 MiB x 2 cap; r: 1,000 lines through 4 KiB files, none dropped (100 kept), for logs -f;
# k: writes without end, once the keeper is gone
GATE='until [ -e /tmp/go ]; do sleep 0.05; done'
TRY="for i in \$(seq 40); do echo early-\$i; done; $GATE; for fd in 1 2; do probe_disk kind \$fd; done;
probe_disk ftruncate 1; probe_disk ftruncate 2; probe_disk fallocate 1; probe_disk reopen 1; echo after-attempts;
echo probe done; exec sleep 1000"
FLOOD="$GATE; probe_disk flood 100; exec sleep 1000"
LINES="$GATE; i=0; while [ \$i -lt 1000 ]; do i=\$((i + 1)); echo line-\$i-of-a-log-that-rotates-every-4-KiB; done;
echo lines done; exec sleep 1000"
CAP='log_max_size = "1M"; log_max_files = 2;'
write_conf "$CONF" 'memory = "64M"; pids = 64;' <<CONF
  { name = "u"; ip = "$NET.2"; command = [ "sh", "-c", "$TRY" ]; },
  { name = "n"; ip = "$NET.3"; userns = false; command = [ "sh", "-c", "$TRY" ]; },
  { name = "fu"; ip = "$NET.4"; $CAP command = [ "sh", "-c", "$FLOOD" ]; },
  { name = "fn"; ip = "$NET.5"; userns = false; $CAP command = [ "sh", "-c", "$FLOOD" ]; },
  { name = "r"; ip = "$NET.6"; log_max_size = "4K"; log_max_files = 100; command = [ "sh", "-c", "$LINES" ]; },
  { name = "k"; ip = "$NET.7"; command = [ "sh", "-c", "$GATE; exec probe_disk flood 100000" ]; }
CONF

# attempt, the expected result with a user namespace (u) and without (n), what it tries
# shellcheck disable=SC2034 # read by expect_table (escape_lib.sh)
EXPECT="
fd1        pipe    pipe    fstat(1): the command's stdout is a pipe, not the host's log file
fd2        pipe    pipe    fstat(2): its stderr too
link1      pipe    pipe    readlink /proc/self/fd/1: no host path
ftruncate1 EINVAL  EINVAL  ftruncate(1, 0): erase the log
ftruncate2 EINVAL  EINVAL  ftruncate(2, 0)
fallocate1 ESPIPE  ESPIPE  fallocate(1, 0, 0, 1 GiB): grow a host file without writing to it
reopen1    EACCES  pipe    open /proc/self/fd/1 O_WRONLY|O_TRUNC: the file behind it (a pipe is no file)
"

before=$(snapshot "$CONF")
check "up returns 0" "$CENGINE" up "$CONF"
keeper=$(awk '$1 == "keeper" { print $2 }' "$STATE/journal")
check "the journal names the project's log keeper, a live process" kill -0 "${keeper:-0}"
check_eq "the keeper is no process of the containers' cgroups" "" "$(grep "cengine/$PROJECT" "/proc/$keeper/cgroup")"
check_eq "the keeper has no capabilities" "0000000000000000" "$(awk '$1 == "CapEff:" { print $2 }' "/proc/$keeper/status")"
check_eq "the keeper is in a session of its own" "$keeper" "$(awk '{ print $6 }' "/proc/$keeper/stat" 2>/dev/null)"

# from the host: every fd of every process of the containers (their pid 1s included, whose fds the
# containers cannot see) that is a regular file open for writing (O_ACCMODE 1 or 2)
writable_files() {
	local f d fd flags
	for f in $(grep -lE ":/cengine/$PROJECT/" /proc/[0-9]*/cgroup 2>/dev/null); do
		d=${f%/cgroup}
		for fd in "$d"/fd/*; do
			[ -f "$fd" ] || continue
			flags=$(awk '$1 == "flags:" { print $2 }' "$d/fdinfo/${fd##*/}" 2>/dev/null)
			case $((8#${flags:-0} & 3)) in
			1 | 2) echo "$(cat "$d/comm" 2>/dev/null) ${d#/proc/} fd ${fd##*/} -> $(readlink "$fd")" ;;
			esac
		done
	done
}
check_eq "no process of the containers holds a writable descriptor of a file (host's view)" "" "$(writable_files)"

# from the host: each pid 1 (6 containers) holds its own pipes only: no socket (its go byte and fds came
# over one from up, its status line went back on it, then it closed it) and no pipe of another's
init_fds() {	# the targets of every pid 1's fds above 2, one line each, its pid replaced by #
	local pid
	for pid in $(awk '$1 == "pid" { print $3 }' "$STATE/journal"); do
		find "/proc/$pid/fd" -mindepth 1 -name '[3-9]*' -printf '%l\n' | sort | tr '\n' ' '
		echo
	done
}
fds=$(init_fds)
check_eq "each pid 1 holds 2 pipes above fd 2 (the log's read end, its exit status pipe)" \
	"2 2 2 2 2 2" "$(awk '{ print NF }' <<<"$fds" | tr '\n' ' ' | sed 's/ $//')"
check_eq "no pid 1 holds a socket" "" "$(grep -o 'socket:[^ ]*' <<<"$fds")"
check_eq "no two pid 1s share a pipe" "" "$(tr ' ' '\n' <<<"$fds" | grep . | sort | uniq -d)"

# --- the output attempts, while `logs -f` follows each log
for c in u n; do
	wait_for 10 sh -c "'$CENGINE' logs '$CONF' $c | grep -qx early-40" || not_ok "$c wrote its 40 early lines"
	"$CENGINE" logs -f "$CONF" $c >"$WORK/follow-$c" 2>&1 &
	eval "follow_$c=\$!"
	wait_for 10 grep -qx early-40 "$WORK/follow-$c" || not_ok "logs -f of $c shows the early lines"
	x $c -- touch /tmp/go
done
for c in u n; do
	check "$c: its attempts end (within 20 s)" wait_for 20 sh -c "'$CENGINE' logs '$CONF' $c | grep -qx 'probe done'"
	"$CENGINE" logs "$CONF" $c >"$WORK/$c.log"
	check_eq "$c: logs still holds the 40 lines written before the attempts" \
		"$(seq -f 'early-%g' 1 40 | tr '\n' ' ')" "$(grep '^early-' "$WORK/$c.log" | tr '\n' ' ')"
	check "$c: a logs -f that ran across the attempts shows what followed them" \
		wait_for 10 grep -qx 'probe done' "$WORK/follow-$c"
	check "$c: ... and the early lines once (nothing read twice after a truncation)" \
		test "$(grep -c '^early-' "$WORK/follow-$c")" = 40
done
kill "$follow_u" "$follow_n" 2>/dev/null
wait "$follow_u" "$follow_n" 2>/dev/null
# result ATTEMPT u|r: the probe's result in the log of container u or n
result() { awk -v n="$1" '$1 == "probe" && $2 == n { print $3 }' "$WORK/${2/r/n}.log"; }
expect_table 12 result
check "no attempt escaped" sh -c "! grep -q ESCAPED '$WORK/u.log' '$WORK/n.log'"

# --- 100 MiB of output under a 1 MiB x 2 cap
for c in fu fn; do x $c -- touch /tmp/go; done
flood_done() { "$CENGINE" logs --tail 1 "$CONF" "$1" | grep -q '^probe flood done'; }
for c in fu fn; do
	check "$c: 100 MiB written to stdout (within 120 s)" wait_for 120 flood_done $c
	diag "$c: $("$CENGINE" logs --tail 1 "$CONF" $c)"
	sizes=$(find "$STATE/$c" -maxdepth 1 -name 'log*' -printf '%f %s\n' | sort)
	diag "$c: host log files: $(tr '\n' ' ' <<<"$sizes")"
	total=$(awk '{ t += $2 } END { print t + 0 }' <<<"$sizes")
	check "$c: the host log files hold at most the cap, 1 MiB x 2 ($total bytes)" test "$total" -le $((2 << 20))
	check "$c: ... and at least a full 1 MiB file (the cap is used, not a lost pipe)" test "$total" -ge $((1 << 20))
	check_eq "$c: two files, log and log.1" "log log.1" "$(awk '{ print $1 }' <<<"$sizes" | tr '\n' ' ' | sed 's/ $//')"
	check "$c: no file above 1 MiB" awk '$2 > 1048576 { bad = 1 } END { exit bad }' <<<"$sizes"
	check "$c: the container's memory is not where the output went (running, not OOM-killed)" \
		"$CENGINE" exec "$CONF" $c -- true
done

# --- logs -f across rotations: all 1,000 lines through 4 KiB files, in order, once
"$CENGINE" logs -f "$CONF" r >"$WORK/follow-r" 2>&1 &
follow_r=$!
x r -- touch /tmp/go
check "r: 1,000 lines written (within 30 s)" wait_for 30 grep -qx 'lines done' "$WORK/follow-r"
kill "$follow_r" 2>/dev/null
wait "$follow_r" 2>/dev/null
want=$(seq -f 'line-%g-of-a-log-that-rotates-every-4-KiB' 1 1000)
check_eq "r: logs -f printed every line once, in order, across the rotations" "$want" "$(grep '^line-' "$WORK/follow-r")"
check_eq "r: logs reads them back from the rotated files too" "$want" "$("$CENGINE" logs "$CONF" r | grep '^line-')"
check_eq "r: logs --tail 3 reaches across a rotation" "line-999-of-a-log-that-rotates-every-4-KiB line-1000-of-a-log-that-rotates-every-4-KiB lines done" \
	"$("$CENGINE" logs --tail 3 "$CONF" r | tr '\n' ' ' | sed 's/ $//')"
nfiles=$(find "$STATE/r" -maxdepth 1 -name 'log*' | wc -l)
check "r: the log was rotated (${nfiles} files of at most 4 KiB)" test "$nfiles" -ge 10
check "r: every file ends with a whole line" sh -c "for f in '$STATE'/r/log*; do [ ! -s \"\$f\" ] || [ \"\$(tail -c 1 \"\$f\" | od -An -c | tr -d ' ')\" = '\\n' ] || exit 1; done"

# --- the keeper gone: a writer blocks once the pipe is full (as with Docker's default blocking mode); it does not die of SIGPIPE
kill -KILL "$keeper"
check "killed, the keeper is gone" wait_for 5 sh -c "! kill -0 $keeper 2>/dev/null"
x k -- touch /tmp/go
# the host pid of k's flooding probe, blocked in a pipe write
blocked() {
	local f d
	for f in $(grep -l ":/cengine/$PROJECT/k\$" /proc/[0-9]*/cgroup 2>/dev/null); do
		d=${f%/cgroup}
		[ "$(cat "$d/comm" 2>/dev/null)" = probe_disk ] && grep -q 'pipe_write$' "$d/wchan" && return 0
	done
	return 1
}
check "k: with no keeper, the writing command blocks in a pipe write" wait_for 10 blocked
check "k: ... and lives on (no SIGPIPE): the container runs" sh -c "'$CENGINE' ps '$CONF' | grep -q '^$PROJECT *k *running '"
check "down returns 0" "$CENGINE" down "$CONF"
check_eq "down leaves the host as before up" "$before" "$(snapshot "$CONF")"
check "the log keeper is gone after down" sh -c "! kill -0 $keeper 2>/dev/null"

# --- tarball rootfs: the caps hold while it unpacks, and nothing is left behind
CACHE=$CENGINE_ROOTFS_CACHE
# mktar KIND OUT [N]: bomb (one file of N zero bytes, streamed: nothing of its size is written here), many (N
# empty files), flags and flags-bad (a file whose pax header asks for the immutable flag; -bad: then a ../ entry)
mktar() {
	python3 - "$@" <<'PY'
import io, sys, tarfile
kind, out = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 0
class Zeros(io.RawIOBase):
    def __init__(self, left): self.left = left
    def readable(self): return True
    def readinto(self, b):
        k = min(len(b), self.left); b[:k] = bytes(k); self.left -= k; return k
def add(t, name, data=b"", kind=tarfile.REGTYPE, pax=None):
    i = tarfile.TarInfo(name); i.type = kind; i.mode = 0o755 if kind == tarfile.DIRTYPE else 0o644
    i.size = len(data) if kind == tarfile.REGTYPE else 0; i.pax_headers = pax or {}
    t.addfile(i, io.BytesIO(data) if kind == tarfile.REGTYPE else None)
dst = sys.stdout.buffer if out == "-" else open(out, "wb")
with tarfile.open(fileobj=dst, mode="w|", format=tarfile.PAX_FORMAT, copybufsize=1 << 20) as t:
    if kind == "bomb":
        i = tarfile.TarInfo("zeros"); i.size = n; t.addfile(i, Zeros(n))
    elif kind == "many":
        for k in range(n): add(t, "f%06d" % k)
    else:
        add(t, "etc", kind=tarfile.DIRTYPE)
        add(t, "etc/locked", b"x\n", pax={"SCHILY.fflags": "schg,sappnd"})
        if kind == "flags-bad": add(t, "../escaped")
PY
}
mktar bomb - $((1 << 30)) | zstd -q -c >"$WORK/bomb.tar.zst"
mktar many "$WORK/many.tar" 5000
mktar flags "$WORK/flags.tar"
mktar flags-bad "$WORK/flags-bad.tar"
tar -C "$ROOTFS" -cf "$WORK/good.tar" .
diag "the zip bomb: $(stat -c %s "$WORK/bomb.tar.zst") bytes of .tar.zst for 1 GiB of zeros"

# one_conf NAME SETTINGS: $WORK/NAME.conf, a one-container project $PROJECT-NAME on a bridge (BRIDGE and
# one letter) and subnet of its own
ONE_N=0
one_conf() {
	local net letters=abcdefghijklmnopqrstuvwxyz
	subnets net
	ONE_N=$((ONE_N + 1))
	PROJECT=$PROJECT-$1 NETWORKS=$(NET=$net BRIDGE=$BRIDGE${letters:ONE_N:1} lan) ROOTFS='' write_conf "$WORK/$1.conf" <<CONF
{ name = "c"; ip = "$net.2"; $2 }
CONF
}
leftovers() { ls -A "$CACHE" 2>/dev/null | grep -vx '\.lock' | tr '\n' ' '; }

# attempt | its tarball | its cap | the one line up must fail with (after "cengine: container c: rootfs: TARBALL: ")
UNPACK='
bomb    | bomb.tar.zst  | unpack_max_size = "64M";   | refused: it unpacks to more than 67108864 bytes (unpack_max_size)
entries | many.tar      | unpack_max_entries = 1000; | refused: it has more than 1000 entries (unpack_max_entries)
flags   | flags-bad.tar |                            | entry "../escaped" refused: Path contains '"'..'"'
'
while IFS='|' read -r -u 3 name tarball cap why; do
	name=$(xargs <<<"$name") tarball=$(xargs <<<"$tarball") why=${why# }
	[ -n "$name" ] || continue
	for u in userns nouserns; do
		one_conf "$name$u" "rootfs = \"$WORK/$tarball\"; $cap $([ $u = userns ] || echo 'userns = false;')"
		cf=$WORK/$name$u.conf
		pre=$(snapshot "$cf")
		start=$(now_ms)
		"$CENGINE" up "$cf" >"$WORK/out" 2>"$WORK/err"
		rc=$?
		took=$(($(now_ms) - start))
		diag "$u $name: rc $rc in $took ms: $(cat "$WORK/err"); cache: $(leftovers)"
		check_eq "$u $name: up fails" 1 "$rc"
		check_eq "$u $name: with one line saying why" "cengine: container c: rootfs: $WORK/$tarball: $why" "$(cat "$WORK/err")"
		check_eq "$u $name: nothing is left in the cache" "" "$(leftovers)"
		check_eq "$u $name: nothing of the project is left" "$pre" "$(snapshot "$cf")"
	done
done 3<<<"$UNPACK"

# file flags are not restored: the tree stays removable (an immutable file could not be removed, ever)
one_conf flagsok "rootfs = \"$WORK/flags.tar\";"
check "flags: up of a tarball asking for the immutable flag returns 0" "$CENGINE" up "$WORK/flagsok.conf"
FLAGS_TREE=$CACHE/$(sha256sum "$WORK/flags.tar" | cut -d' ' -f1)
flags=$(lsattr -d "$FLAGS_TREE/etc/locked" 2>&1)
diag "flags: $flags"
check_eq "flags: the file is unpacked without the immutable (i) and append-only (a) flags" "" \
	"$(awk '{ print $1 }' <<<"$flags" | tr -cd 'ia')"
check "flags: down" "$CENGINE" down "$WORK/flagsok.conf"

# a cengine killed during an unpack leaves its temporary tree; the next up of any tarball removes it
one_conf slow "rootfs = \"$WORK/bomb.tar.zst\"; unpack_max_size = \"2G\";"
"$CENGINE" up "$WORK/slow.conf" >/dev/null 2>&1 &
up_pid=$!
under_way() { [ -n "$(find "$CACHE" -maxdepth 2 -path "$CACHE/.unpack-$up_pid-*/zeros" -size +1M 2>/dev/null)" ]; }
check "slow: its unpack is under way (a temporary tree of up's pid, growing)" wait_for 30 under_way
kill -KILL "$up_pid"
wait "$up_pid" 2>/dev/null
stale=$(ls -A "$CACHE" | grep "^\.unpack-$up_pid-")
check "slow: the killed up left its temporary tree behind ($stale)" test -n "$stale"
check "slow: down of the killed up's project" "$CENGINE" down "$WORK/slow.conf"
one_conf next "rootfs = \"$WORK/good.tar\";"
check "next: up of another tarball returns 0" "$CENGINE" up "$WORK/next.conf"
check_eq "next: ... and it removed the killed unpack's tree" "" "$(ls -A "$CACHE" | grep '^\.unpack-')"
NEXT_TREE=$CACHE/$(sha256sum "$WORK/good.tar" | cut -d' ' -f1)

# --- prune: what no project uses goes; the tree of a project that is up, and a temporary tree being written, stay
me_start=$(sed 's/^.*) //' /proc/$$/stat | awk '{ print $20 }')
mkdir "$CACHE/.unpack-$$-$me_start-live" "$CACHE/.unpack-4194304-1-dead" "$CACHE/.unpack-AbCdEf"
dry=$("$CENGINE" prune --dry-run)
diag "$dry"
check_eq "prune --dry-run lists the unused tree and the dead temporary trees" \
	"would remove $CACHE/.unpack-4194304-1-dead would remove $CACHE/.unpack-AbCdEf would remove $FLAGS_TREE" \
	"$(grep '^would remove' <<<"$dry" | sed 's/ (.*//' | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')"
check "prune --dry-run removes nothing" test -d "$FLAGS_TREE" -a -d "$CACHE/.unpack-4194304-1-dead"
out=$("$CENGINE" prune)
diag "$out"
check "prune returns 0 and says what it freed" grep -Eq '^freed [0-9.]+ ([KMGT]i)?B$' <<<"$out"
check "prune removed the unused tree" test ! -e "$FLAGS_TREE"
check "prune removed the temporary trees of dead and unknown owners" test ! -e "$CACHE/.unpack-4194304-1-dead" -a ! -e "$CACHE/.unpack-AbCdEf"
check "prune kept the tree that project next uses" test -d "$NEXT_TREE/bin"
check "prune kept the temporary tree of a live process" test -d "$CACHE/.unpack-$$-$me_start-live"
check "next still runs from its tree" "$CENGINE" exec "$WORK/next.conf" c -- true
rmdir "$CACHE/.unpack-$$-$me_start-live"
check "next: down" "$CENGINE" down "$WORK/next.conf"
check "prune after down removes the last tree" sh -c "'$CENGINE' prune | grep -q '^removed $NEXT_TREE '"
check_eq "the cache holds nothing but its lock" "" "$(leftovers)"
check_eq "prune of an empty cache" "nothing to remove" "$("$CENGINE" prune)"
check_eq "a relative CENGINE_ROOTFS_CACHE is refused in one line" 1 \
	"$(CENGINE_ROOTFS_CACHE=rel "$CENGINE" prune 2>&1 >/dev/null | grep -c 'CENGINE_ROOTFS_CACHE "rel": not an absolute path')"
finish
