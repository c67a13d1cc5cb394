#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# escape_image.sh: hostile image layers (a path with .., an absolute path, a symlink then a file through it, whiteouts
# and an opaque dir out of the root or through a symlink, hard links out, a layer past the caps) are refused on
# unpack in one line; nothing outside the tree is written or removed, nothing is kept in the store.
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/security/distro.sh"
. "$TOP_SRCDIR/tests/integration/image_lib.sh"
image_setup escimg

# the host's side: what an escape would write to or remove
OUT=$WORK/outside
mkdir -p "$OUT/victimdir"
echo keep >"$OUT/victim"
echo keep >"$OUT/victimdir/inner"
canary() { find "$OUT" -printf '%p %s\n' | sort | md5sum; }
clean=$(canary)

# hostile NAME PYTHON...: a copy of the Alpine layout with one more layer per PYTHON snippet (layer_add)
hostile() {
	local name=$1
	shift
	cp -a "$FIX/alpine" "$FIX/$name"
	for code; do
		layer_add "$FIX/$name" "$code"
	done
}

hostile dotdot "f('../../../../../../../..$OUT/victim', b'pwned')"
hostile absolute "f('$OUT/victim', b'pwned')"
hostile through_link_two "sl('lnk', '$OUT')" "f('lnk/victim', b'pwned')"
hostile through_link_one "sl('lnk', '$OUT'); f('lnk/victim', b'pwned')"
hostile through_rel_link "sl('lnk', '../../../../../../../..$OUT'); f('lnk/planted', b'pwned')"
hostile wh_dotdot "f('../../../../../../../..$OUT/.wh.victim')"
hostile wh_link "sl('lnk', '$OUT')" "f('lnk/.wh.victim')"
hostile opq_link "sl('lnk', '$OUT')" "f('lnk/victimdir/.wh..wh..opq')"
hostile wh_dot "f('etc/.wh..')"
hostile hardlink_abs "hl('stolen', '$OUT/victim')"
hostile hardlink_dotdot "hl('stolen', '../../../../../../../..$OUT/victim')"
hostile bomb "f('big', b'\\0' * (64 << 20))"

# refused NAME PATTERN: pull fails (1) with one line matching PATTERN; the host and the store are untouched
refused() {
	local err rc
	err=$("$CENGINE" pull "oci:$FIX/$1:v1" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" = 1 ] && [ "$(wc -l <<<"$err")" = 1 ] && grep -Eq "^cengine: image: $2" <<<"$err" &&
		[ "$(canary)" = "$clean" ] && [ "$(store_trees) $(store_names) $(store_temps)" = "0 0 0" ]; then
		ok "$1: refused in one line, nothing outside touched, nothing kept"
	else
		not_ok "$1: refused in one line, nothing outside touched, nothing kept"
		diag "rc=$rc trees/names/temps $(store_trees) $(store_names) $(store_temps); stderr: $err"
		diag "$(find "$OUT" -printf '%p %s\n')"
	fi
}
L='layer 4/4 sha256:[0-9a-f]{64}'
L5='layer 5/5 sha256:[0-9a-f]{64}'
refused dotdot "$L: entry \".*victim\" refused: a path with \.\.$"
refused absolute "$L: entry \"$OUT/victim\" refused: an absolute path$"
refused through_link_two "$L5: entry \"lnk/victim\" refused: .*"
refused through_link_one "$L: entry \"lnk/victim\" refused: .*"
refused through_rel_link "$L: entry \"lnk/planted\" refused: .*"
refused wh_dotdot "$L: entry \".*\.wh\.victim\" refused: a path with \.\.$"
refused wh_link "$L5: whiteout in \"lnk\" refused: Too many levels of symbolic links$"
refused opq_link "$L5: whiteout in \"lnk/victimdir\" refused: Too many levels of symbolic links$"
refused wh_dot "$L: whiteout \"etc/\.wh\.\.\" refused: it names no file$"
refused hardlink_abs "$L: entry \"stolen\" refused: .*"
refused hardlink_dotdot "$L: entry \"stolen\" refused: .*"

# the caps of the container that uses the image: a 64 MiB file in a 32 MiB unpack_max_size
write_conf "$CONF" "" <<CONF
  { name = "b"; image = "oci:$FIX/bomb:v1"; unpack_max_size = "32M"; ip = "$NET.2"; }
CONF
before=$(snapshot "$CONF")
err=$("$CENGINE" up "$CONF" 2>&1 >/dev/null)
check "a layer past unpack_max_size is refused while it is written" grep -Eqx \
	"cengine: container b: image: $L: refused: it unpacks to more than 33554432 bytes \(unpack_max_size\)" <<<"$err"
check_eq "and leaves the host and the store as they were" "$before 0 0 0" "$(snapshot "$CONF") $(store_trees) $(store_names) $(store_temps)"

# a name from the image that drives the terminal is escaped in the message
hostile esc "f('etc/\\x1b]0;pwned\\x07/../../x')"
"$CENGINE" pull "oci:$FIX/esc:v1" 2>"$WORK/esc.err" >/dev/null
check "an entry name with ESC and BEL is printed escaped (\\x1b, \\x07), never raw" sh -c \
	"grep -qF '\\x1b]0;pwned\\x07' '$WORK/esc.err' && ! grep -q \"\$(printf '\\033')\" '$WORK/esc.err'"
check_eq "after all that nothing outside was touched" "$clean" "$(canary)"
finish
