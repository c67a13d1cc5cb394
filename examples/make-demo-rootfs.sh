#!/bin/sh
# make-demo-rootfs.sh: build a tiny busybox root tree (default /srv/rootfs/demo) for the examples.
set -eu
dir=${1:-/srv/rootfs/demo}
bb=$(command -v busybox || echo /bin/busybox)
mkdir -p "$dir"/bin "$dir"/sbin "$dir"/usr/bin "$dir"/usr/sbin "$dir"/etc "$dir"/proc "$dir"/sys "$dir"/dev "$dir"/tmp "$dir"/root
cp "$bb" "$dir/bin/busybox"
for app in $("$bb" --list-full); do
	[ -e "$dir/$app" ] || ln -s /bin/busybox "$dir/$app"
done
echo 'root:x:0:0:root:/root:/bin/sh' >"$dir/etc/passwd"
echo 'root:x:0:' >"$dir/etc/group"
printf 'NAME="cengine demo (busybox)"\nID=busybox\n' >"$dir/etc/os-release"
chmod 1777 "$dir/tmp"
echo "$dir"
