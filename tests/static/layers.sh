#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# layers.sh: no source file includes a header of a higher layer, and no folder's includes form a cycle.
# Layers, lowest first (a file may include its own layer and any lower one):
#   util < model < parser, net, cgroup, state, image (side by side: none includes another)
#   < plan, export (export reads the model and the plan) < runtime/present < runtime/inside < runtime/launch < runtime/verbs < cengine.c and cli/ (the command line)
# net/ additionally knows nothing of the model (it gets flat descriptions from the plan), and
# plan/ and export/ nothing of the parser (they read the model, never the file), plan/ nothing of export/.
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$top" || exit 1
rank() {
	case $1 in
	util) echo 0 ;; model) echo 1 ;; parser | net | cgroup | state | image) echo 2 ;; plan | export) echo 3 ;;
	runtime/present) echo 4 ;; runtime/inside) echo 5 ;; runtime/launch) echo 6 ;;
	runtime/verbs) echo 7 ;; . | cli) echo 8 ;; *) echo -1 ;;
	esac
}
n=0 bad=0
edges=$(find util model parser net cgroup state image plan export runtime cli cengine.c -name '*.[ch]' | sort | while read -r f; do
	sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f" | while read -r h; do echo "$f $(dirname "$f") $(dirname "$h")"; done
done)
[ -n "$edges" ] || { echo "Bail out! no include found under $top"; exit 1; }
while read -r file from to; do
	rf=$(rank "$from") rt=$(rank "$to")
	[ "$from" = "$to" ] && continue
	if [ "$rf" -lt 0 ] || [ "$rt" -lt 0 ]; then
		echo "# $file: folder without a layer: $from -> $to"; bad=$((bad + 1))
	elif [ "$rt" -gt "$rf" ] || { [ "$rt" = "$rf" ] && [ "$rf" = 2 ]; } || { [ "$from" = net ] && [ "$to" = model ]; } ||
		{ [ "$from" = plan ] && [ "$to" = parser ]; } || { [ "$from" = export ] && [ "$to" = parser ]; } ||
		{ [ "$from" = plan ] && [ "$to" = export ]; }; then
		echo "# $file includes $to/ (layer $rt) from $from/ (layer $rf)"; bad=$((bad + 1))
	fi
done <<<"$edges"
n=$((n + 1))
if [ "$bad" = 0 ]; then echo "ok $n - every include goes to the same or a lower layer ($(wc -l <<<"$edges") includes read)"
else echo "not ok $n - $bad includes go upward or sideways"; fi
# a cycle between folders shows as a pair of edges a -> b and b -> a
cyc=$(awk '$2 != $3 {print $2, $3}' <<<"$edges" | sort -u | awk '{e[$1" "$2]=1} END {for (k in e) {split(k, p, " "); if (e[p[2]" "p[1]]) print k}}')
n=$((n + 1))
if [ -z "$cyc" ]; then echo "ok $n - no include cycle between folders"; else echo "not ok $n - include cycle: $cyc"; fi
echo "1..$n"
