#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# run-one.sh: inside a private network namespace, `cengine up` one bad file; print rc, stderr, links before/after.
# usage: run-one.sh CENGINE FILE   (run under `unshare -n`; bad.sh does that)
cengine=$1 file=$2
ip link set lo up
# "# setup: ip ARGS; ip ARGS" on line 2: host objects on link cebad0 (made here) that the file must collide with
setup=$(sed -n '2s/^# setup: //p' "$file")
if [ -n "$setup" ]; then
	ip link add cebad0 type bridge && ip link set cebad0 up
	IFS=';' read -ra cmds <<<"$setup"
	for c in "${cmds[@]}"; do
		read -ra words <<<"$c"
		[ "${words[0]}" = ip ] && "${words[@]}"
	done
fi
before=$(ip -o link show | awk -F': ' '{print $2}' | sort; ip -o addr show | awk '{print $2, $4}' | sort)
"$cengine" up "$file" >/dev/null 2>"$file.stderr"
rc=$?
after=$(ip -o link show | awk -F': ' '{print $2}' | sort; ip -o addr show | awk '{print $2, $4}' | sort)
echo "rc=$rc"
[ "$before" = "$after" ] && echo "links=same" || echo "links=changed"
