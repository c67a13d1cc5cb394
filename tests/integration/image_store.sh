#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# image_store.sh: the store under concurrency (two pulls, two ups of one image at once) and crashes (a pull killed while
# it unpacks leaves nothing a later run trusts); a Debian image: the tutorial's session with up and exec.
. "$(dirname "$0")/../lib.sh"
. "$TOP_SRCDIR/tests/security/distro.sh"
. "$TOP_SRCDIR/tests/integration/image_lib.sh"
image_setup imgstore
command -v debootstrap >/dev/null || unavailable "debootstrap is not installed (apt-get install debootstrap)"
debian_layout "$FIX/debian" || bail "cannot build the Debian layout (debootstrap, umoci)"
DEB=oci:$FIX/debian:v1

# --- a pull killed while it unpacks
"$CENGINE" pull "$DEB" >/dev/null 2>&1 &
pid=$!
check "a pull of the Debian image starts unpacking" wait_for 60 sh -c "ls -d '$CENGINE_STORE_DIR'/trees/.tmp-$pid-* 2>/dev/null | grep -q ."
kill -9 "$pid"
wait "$pid" 2>/dev/null
check_eq "killed: no tree, no name, only its temporary" "0 0 1" "$(find "$CENGINE_STORE_DIR/trees" -mindepth 1 -maxdepth 1 ! -name '.tmp-*' | wc -l) $(store_names) $(store_temps)"
check "images does not list it" test "$("$CENGINE" images | wc -l)" = 1
check "the next pull succeeds" "$CENGINE" pull "$DEB"
check_eq "and removed what the killed one left" 0 "$(store_temps)"
DTREE=$(find "$CENGINE_STORE_DIR/trees" -mindepth 1 -maxdepth 1)
check "the tree is whole" test -x "$DTREE/usr/bin/ping" -a -x "$DTREE/bin/bash"

# --- two pulls of one image at once: one unpack, one tree, both succeed
"$CENGINE" pull "oci:$FIX/alpine:v1" >"$WORK/p1" 2>&1 &
p1=$!
"$CENGINE" pull "oci:$FIX/alpine:v1" >"$WORK/p2" 2>&1 &
p2=$!
wait "$p1"; r1=$?
wait "$p2"; r2=$?
check_eq "two concurrent pulls both succeed" "0 0" "$r1 $r2"
check_eq "with the same digest" "$(awk '{print $2}' "$WORK/p1")" "$(awk '{print $2}' "$WORK/p2")"
check_eq "two trees in the store (Debian, Alpine), no temporary" "2 0" "$(store_trees) $(store_temps)"

# --- two projects up at once from an image the store does not have yet (its tree went with rmi)
"$CENGINE" rmi "oci:$FIX/alpine:v1" >/dev/null
subnets NET2
PROJECT=t-imgstore2-$$ NETWORKS="{ name = \"lan\"; subnet = \"$NET2.0/24\"; gateway = \"$NET2.1\"; bridge = \"c2$BRIDGE\"; }" \
	write_conf "$WORK/two.conf" "image = \"oci:$FIX/alpine:v1\";" <<CONF
  { name = "x"; ip = "$NET2.2"; command = [ "sleep", "600" ]; }
CONF
write_conf "$CONF" "image = \"oci:$FIX/alpine:v1\";" <<CONF
  { name = "x"; ip = "$NET.2"; command = [ "sleep", "600" ]; }
CONF
"$CENGINE" up "$CONF" >/dev/null 2>&1 &
u1=$!
"$CENGINE" up "$WORK/two.conf" >/dev/null 2>&1 &
u2=$!
wait "$u1"; r1=$?
wait "$u2"; r2=$?
check_eq "two ups of one missing image at once both succeed" "0 0" "$r1 $r2"
check "both run from it" sh -c "'$CENGINE' exec '$CONF' x -- test -e /etc/layer2 && '$CENGINE' exec '$WORK/two.conf' x -- test -e /etc/layer2"
check_eq "one more tree, no temporary" "2 0" "$(store_trees) $(store_temps)"
check "down both" sh -c "'$CENGINE' down '$CONF' && '$CENGINE' down '$WORK/two.conf'"

# --- the tutorial's session in a Debian image (up, exec)
write_conf "$CONF" "image = \"$DEB\"; memory = \"64M\";" <<CONF
  { name = "debian1"; ip = "$NET.2"; }, { name = "debian2"; ip = "$NET.3"; }
CONF
before=$(snapshot "$CONF")
check "up from the Debian image returns 0" "$CENGINE" up "$CONF"
transcript "$CONF" debian1 "$NET.2" "$NET.1" "$NET.3" debian "$DTREE"
transcript "$CONF" debian2 "$NET.3" "$NET.1" "$NET.2" debian "$DTREE"
check_eq "bash is the image's bash" "5.2" "$("$CENGINE" exec "$CONF" debian1 -- bash -c 'echo ${BASH_VERSINFO[0]}.${BASH_VERSINFO[1]}')"
check "down returns 0" "$CENGINE" down "$CONF"
check_eq "down leaves the host as before up" "$before" "$(snapshot "$CONF")"

# --- up of an image killed after each journal step: down cleans up, the store is whole, the next up works
write_conf "$CONF" "image = \"oci:$FIX/alpine:v1\";" <<CONF
  { name = "k"; ip = "$NET.2"; }
CONF
next_up() { "$CENGINE" up "$CONF" && "$CENGINE" exec "$CONF" k -- test -e /etc/layer2 && "$CENGINE" down "$CONF" &&
	[ "$(store_temps)" = 0 ]; }
kill_up_at_each_step 5 "the next up works" next_up
finish
