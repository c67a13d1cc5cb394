#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# gc.sh: `cengine gc`: up killed after each of its journal steps, the state dir wiped, then gc (scoped to
# this test's project with --prefix: other tests' projects run here too) leaves the host as before; the
# journal of an up that died is taken down; a project that is up, or whose lock is held, and a link
# that is not marked, are left alone; --dry-run lists and removes nothing.
. "$(dirname "$0")/../lib.sh"
require_root

setup_project gc
export CENGINE_STATE_DIR=$WORK/state	# wiped below: /run/cengine of everyone else stays as it is
write_conf "$CONF" <<CONF
  { name = "a"; ip = "$NET.2"; }, { name = "b"; ip = "$NET.3"; }
CONF
gc() { "$CENGINE" gc --prefix "$PROJECT" "$@"; }

before=$(snapshot "$CONF")
"$CENGINE" up "$CONF" && steps=$(wc -l <"$CENGINE_STATE_DIR/$PROJECT/journal")
check "a project that is up: gc leaves it alone" sh -c "[ -z \"\$('$CENGINE' gc --prefix '$PROJECT')\" ]"
check "it is still up" sh -c "'$CENGINE' ps '$CONF' | grep -q ' running '"
check "down" "$CENGINE" down "$CONF" --timeout 1
check "a full up writes more than 10 journal steps (${steps:-0})" test "${steps:-0}" -gt 10

# killed after step K, its state dir wiped: gc finds the rest by their marks
for k in $(seq 1 "${steps:-0}"); do
	rc=$( (CENGINE_DEBUG_KILL_AT=$k "$CENGINE" up "$CONF" >/dev/null 2>&1; echo $?) 2>/dev/null)
	# the wipe comes once no child of the killed up holds the lock (its nftables batch may still run)
	flock -w 10 "$CENGINE_STATE_DIR/$PROJECT.lock" true 2>/dev/null
	rm -rf "${CENGINE_STATE_DIR:?}"/*
	out=$(gc 2>&1)
	grc=$?
	after=$(snapshot "$CONF")
	if [ "$rc" = 137 ] && [ "$grc" = 0 ] && [ "$before" = "$after" ]; then
		ok "killed after step $k, /run wiped: gc leaves nothing"
	else
		not_ok "killed after step $k, /run wiped: gc leaves nothing (up rc $rc, gc rc $grc)"
		diag "$out"
		diag "$(diff <(echo "$before") <(echo "$after"))"
	fi
done

# the same without the wipe: the journal of the up that died is taken down
(CENGINE_DEBUG_KILL_AT=$((steps - 2)) "$CENGINE" up "$CONF" >/dev/null 2>&1) 2>/dev/null
# a child of the killed up (its log keeper) may hold the lock for a moment after: at work, left alone
check "--dry-run names the up that died" wait_for 5 sh -c \
	"'$CENGINE' gc --prefix '$PROJECT' --dry-run | grep -q 'would take down $PROJECT: an up that did not finish'"
check "--dry-run removes nothing" test -d "$CENGINE_STATE_DIR/$PROJECT"
# a cengine holding the lock is at work on it: left alone
flock "$CENGINE_STATE_DIR/$PROJECT.lock" "$CENGINE" gc --prefix "$PROJECT" >"$WORK/held" 2>&1
check_eq "a project whose lock is held: gc leaves it alone" "" "$(cat "$WORK/held")"
check "its journal is still there" test -d "$CENGINE_STATE_DIR/$PROJECT"
out=$(gc)
check "gc takes the up that died down" grep -q "took down $PROJECT" <<<"$out"
check_eq "nothing is left" "$before" "$(snapshot "$CONF")"

# marks only: a link with another alias, or another project's mark, is not touched
dummy=cgx$$
ip link add "$dummy" type bridge && at_exit "ip link del '$dummy' 2>/dev/null"
ip link set "$dummy" alias "cengine:other$$:bridge"
ip link add "${dummy}b" type bridge && at_exit "ip link del '${dummy}b' 2>/dev/null"
ip link set "${dummy}b" alias "not cengine:$PROJECT:bridge"
out=$(gc)
check "another project's mark (outside --prefix's scope) is left alone" ip link show "$dummy"
check "an alias that is not a mark is left alone" ip link show "${dummy}b"
check_eq "gc had nothing to do" "" "$out"
check "--prefix takes project names only" sh -c "'$CENGINE' gc --prefix 'a/b'; [ \$? = 2 ]"
finish
