#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# rootfs.sh: rootfs from a tarball (cache, kept metadata, concurrent unpack, escaping entries refused), from the host, and unchanged by vandals.
. "$(dirname "$0")/../lib.sh"
require_root

setup_project rfs
CACHE=/var/lib/cengine/rootfs
SHA=
at_exit '[ -z "$SHA" ] || { rm -rf "${CACHE:?}/$SHA"; find "$CACHE" -maxdepth 1 -lname "$SHA" -delete; }; rm -rf "/tmp/escaped-$$"'

# conf NAME SETTINGS: $WORK/NAME.conf, a one-container project PROJECT-NAME of its own bridge and subnet
conf() {
	local net
	subnets net
	PROJECT=$PROJECT-$1 NETWORKS=$(NET=$net BRIDGE=$BRIDGE${1:0:3} lan) ROOTFS='' write_conf "$WORK/$1.conf" <<CONF
{ name = "c"; ip = "$net.2"; $2 }
CONF
}
# tree_sum DIR: names, types, modes, owners, sizes, link targets, xattrs and contents of every file
tree_sum() {
	(cd "$1" && find . -printf '%p %y %m %U %G %s %l\n' | sort && find . -type f -print0 | sort -z | xargs -0 sha256sum \
		&& getfattr -R -d -m - . 2>/dev/null) | sha256sum
}

# --- a tarball of our own, with the metadata that must survive
SRC=$WORK/src
cp -a "$(busybox_rootfs)" "$SRC"
echo "$$" >"$SRC/etc/unique"
echo data >"$SRC/etc/owned" && chown 1234:5678 "$SRC/etc/owned"
cp "$SRC/bin/busybox" "$SRC/bin/suid" && chmod 4755 "$SRC/bin/suid"
ln "$SRC/etc/owned" "$SRC/etc/hardlink"
ln -s ../etc/owned "$SRC/bin/symlink"
mknod "$SRC/dev/nullcopy" c 1 3
have_xattr=false
setfattr -n user.cengine -v kept "$SRC/etc/owned" 2>/dev/null && have_xattr=true
tar --xattrs -C "$SRC" -czf "$WORK/tree.tar.gz" .
SHA=$(sha256sum "$WORK/tree.tar.gz" | cut -d' ' -f1)

conf a "rootfs = \"$WORK/tree.tar.gz\";" && A=$WORK/a.conf
conf b "rootfs = \"$WORK/tree.tar.gz\";" && B=$WORK/b.conf
"$CENGINE" up "$A" >"$WORK/a.out" 2>&1 & pa=$!
"$CENGINE" up "$B" >"$WORK/b.out" 2>&1 & pb=$!
wait $pa; ra=$?
wait $pb; rb=$?
check_eq "two projects unpack the same tarball at once: both up" "0 0" "$ra $rb"
check "the tree is cached under its sha256" test -d "$CACHE/$SHA"
check_eq "no half-unpacked copy is left beside it" "" "$(ls -a "$CACHE" | grep '^\.unpack-' || true)"
T=$CACHE/$SHA
check_eq "owner kept" "1234:5678" "$(stat -c %u:%g "$T/etc/owned")"
check_eq "setuid mode kept" "4755" "$(stat -c %a "$T/bin/suid")"
check_eq "hard link kept (same inode)" "$(stat -c %i "$T/etc/owned")" "$(stat -c %i "$T/etc/hardlink")"
check_eq "symlink kept" "../etc/owned" "$(readlink "$T/bin/symlink")"
check_eq "device node kept" "character special file 1:3" "$(stat -c '%F %t:%T' "$T/dev/nullcopy")"
if $have_xattr; then
	check_eq "xattr kept" "kept" "$(getfattr --only-values -n user.cengine "$T/etc/owned" 2>/dev/null)"
else
	ok "xattr kept # SKIP no setfattr (apt-get install attr)"
fi
check_eq "the container sees the tarball's tree" "$$" "$("$CENGINE" exec "$A" c -- cat /etc/unique)"
check_eq "inside, the tree is root's and the copy 1234's" "0 1234" "$("$CENGINE" exec "$A" c -- stat -c %u /etc/unique /etc/owned | paste -sd' ')"
mtime=$(stat -c %Y "$T")
"$CENGINE" down "$B" >/dev/null 2>&1
check "a second up of the same tarball reuses the cache" "$CENGINE" up "$B"
check_eq "the cached tree was not unpacked again" "$mtime" "$(stat -c %Y "$T")"
check_eq "the tarball's hash is remembered by its identity" "1" "$(find "$CACHE" -maxdepth 1 -lname "$SHA" | wc -l)"

# --- vandals: write, chmod and delete everything they can; the sources stay as they were
dir_before=$(tree_sum "$SRC")
cache_before=$(tree_sum "$T")
conf d "rootfs = \"$SRC\";" && D=$WORK/d.conf
conf e "rootfs = \"$SRC\"; userns = false;" && E=$WORK/e.conf
check "up from a directory returns 0" "$CENGINE" up "$D"
check "up from the same directory without a user namespace returns 0" "$CENGINE" up "$E"
vandal='find / -xdev -type f 2>/dev/null | while read -r f; do echo pwned >>"$f"; chmod 777 "$f"; done 2>/dev/null;
find / -xdev -mindepth 1 -depth 2>/dev/null | while read -r f; do rm -rf "$f"; done 2>/dev/null; mkdir -p /etc; touch /new; exit 0'
for cf in "$A" "$B" "$D" "$E"; do "$CENGINE" exec "$cf" c -- /bin/busybox sh -c "$vandal" >/dev/null 2>&1; done
check "the vandals removed their own /bin" sh -c "! '$CENGINE' exec '$D' c -- /bin/busybox true 2>/dev/null && ! '$CENGINE' exec '$E' c -- /bin/busybox true 2>/dev/null"
check_eq "the directory source is unchanged (checksum of every name, mode, owner, content, xattr)" "$dir_before" "$(tree_sum "$SRC")"
check_eq "the cached tarball tree is unchanged" "$cache_before" "$(tree_sum "$T")"
for cf in "$A" "$B" "$D" "$E"; do "$CENGINE" down "$cf" >/dev/null 2>&1; done

# --- escaping tarballs are refused with a clear error, and nothing is made
mkdir -p "$WORK/e/d" "$WORK/e/y" && echo x >"$WORK/e/d/x" && echo z >"$WORK/e/y/f"
tar -C "$WORK/e" -cf "$WORK/dotdot.tar" --transform="s,^d/x,../../../../../../tmp/escaped-$$," d/x
ln -s /tmp "$WORK/e/lnk"
tar -C "$WORK/e" -cf "$WORK/symlink.tar" lnk && tar -C "$WORK/e" -rf "$WORK/symlink.tar" --transform="s,^y/f,lnk/escaped-$$," y/f
tar -C / -cPf "$WORK/absolute.tar" "$WORK/e/d/x" 2>/dev/null
for kind in dotdot symlink absolute; do
	conf "$kind" "rootfs = \"$WORK/$kind.tar\";" && cf=$WORK/$kind.conf
	sha=$(sha256sum "$WORK/$kind.tar" | cut -d' ' -f1)
	out=$("$CENGINE" up "$cf" 2>&1)
	rc=$?
	check_eq "$kind tarball: up fails" 1 "$rc"
	check "$kind tarball: the error names the tarball and the refused entry" grep -q "$kind.tar: entry .* refused" <<<"$out"
	diag "$out"
	check "$kind tarball: no cache entry" test ! -e "$CACHE/$sha"
	check_eq "$kind tarball: no remembered hash" "" "$(find "$CACHE" -maxdepth 1 -lname "$sha")"
	check "$kind tarball: the project is not left up" test ! -e "/run/cengine/$PROJECT-$kind"
done
check "nothing escaped to /tmp" test ! -e "/tmp/escaped-$$"
check_eq "no half-unpacked copy is left" "" "$(ls -a "$CACHE" | grep '^\.unpack-' || true)"

# --- host: the host's own tools, read-only, with private writes
conf h "" && H=$WORK/h.conf
check "up with no rootfs (the host's) returns 0" "$CENGINE" up "$H"
check_eq "it runs the host's distribution" "$(grep '^ID=' /etc/os-release)" "$("$CENGINE" exec "$H" c -- grep '^ID=' /etc/os-release)"
check "the host's ping works in it" "$CENGINE" exec "$H" c -- ping -c 1 -W 2 "$(sed -n 's/.*gateway = "\([0-9.]*\)".*/\1/p' "$H")"
check "a write to /usr succeeds inside" "$CENGINE" exec "$H" c -- sh -c "echo x >/usr/cengine-test-$$ && rm -f /bin/true.cengine"
check "... and is not on the host" test ! -e "/usr/cengine-test-$$"
check "deleting /bin/ls inside leaves the host's" sh -c "'$CENGINE' exec '$H' c -- rm /bin/ls && test -x /bin/ls"
check "the host's /run/cengine is not visible" "$CENGINE" exec "$H" c -- test ! -e /run/cengine
check "down returns 0" "$CENGINE" down "$H"
check_eq "no project state is left" "" "$(ls /run/cengine 2>/dev/null | grep -F -- "$PROJECT" | grep -v '\.lock$' || true)"
finish
