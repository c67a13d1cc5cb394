#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# escape.sh: the escape suite: from inside containers (user namespace on, and off), each way out must fail, and how.
. "$(dirname "$0")/escape_lib.sh"

use_probe ESCAPE_PROBE escape-probe
setup_project esc

# the busybox tree plus the static probe: a rootfs of this test's own
ROOTFS=$WORK/rootfs
cp -a "$(busybox_rootfs)" "$ROOTFS"
cp "$PROBE" "$ROOTFS/bin/escape-probe"
write_conf "$CONF" 'memory = "64M"; pids = 64;' <<CONF
  { name = "userns"; ip = "$NET.2"; },
  { name = "nouserns"; ip = "$NET.3"; userns = false; }
CONF

# attempt, then the expected result with a user namespace, and without (userns = false)
# shellcheck disable=SC2034 # read by expect_table (escape_lib.sh)
EXPECT="
mount_new_fs      EPERM    EPERM    mount a tmpfs (a new filesystem)
remount_rw        EPERM    EPERM    remount read-only /proc/sys read-write
write_proc_sys    EACCES   EROFS    open /proc/sys/kernel/core_pattern for writing
reboot            EPERM    EPERM    reboot(2)
load_module       EPERM    EPERM    finit_module(2)
mknod_block       EPERM    EPERM    mknod a block device (8,0) and read it (device cgroup)
read_dev_mem      ENOENT   ENOENT   open /dev/mem
read_dev_kmsg     ENOENT   ENOENT   open /dev/kmsg
read_proc_kcore   masked   masked   read /proc/kcore (absent or /dev/null)
see_host_process  ENOENT   ENOENT   /proc/<pid of a host process>
signal_host       ESRCH    ESRCH    kill(host pid, SIGCONT)
ptrace_host       ESRCH    ESRCH    ptrace(PTRACE_SEIZE, host pid)
see_host_link     absent   absent   list links: anything but lo and eth0
open_by_handle_at EPERM    EPERM    open_by_handle_at(2)
bpf               EPERM    EPERM    bpf(BPF_MAP_CREATE)
keyctl            EPERM    EPERM    keyctl(2)
chroot_twice      ENOENT   ENOENT   chroot, climb .., chroot .: host's state dir reachable?
rewrite_init_exe  EACCES   EACCES   reopen /proc/1/exe (the host's cengine) for writing
write_self_exe    ETXTBSY  ETXTBSY  open /proc/self/exe for writing
raise_cgroup      ENOENT   ENOENT   write memory limits under /sys/fs/cgroup
setns_other       EACCES   EACCES   setns into another namespace (host pid, /proc/1/ns)
new_userns        EPERM    EPERM    unshare(CLONE_NEWUSER)
leaked_fds        none     none     file descriptors above 2 in a process
"

before=$(snapshot "$CONF")
check "up returns 0" "$CENGINE" up "$CONF"
HOST_PATH=/run/cengine/$PROJECT/journal
check "the host-only path exists on the host" test -e "$HOST_PATH"
for c in userns nouserns; do
	"$CENGINE" exec "$CONF" "$c" -- escape-probe all $$ "$HOST_PATH" >"$WORK/$c.out" 2>&1
done
check "the host process the probes aim at is alive" kill -0 $$

# expect_result CONTAINER ATTEMPT EXPECTED GOT ("masked": absent, or reads empty)
expect_result() {
	if [ "$3" = masked ] && { [ "$4" = ENOENT ] || [ "$4" = empty ]; }; then
		ok "$1: $2 fails ($4)"
	else
		expect_eq "$@"
	fi
}
# result ATTEMPT u|r: the probe's result in container userns or nouserns
result() { awk -v n="$1" '$1==n {print $2}' "$WORK/$([ "$2" = u ] || echo no)userns.out"; }
expect_table 18 result expect_result
check "the probes saw no escape" sh -c "! grep -q ESCAPED '$WORK/userns.out' '$WORK/nouserns.out'"

check "down returns 0" "$CENGINE" down "$CONF"
check_eq "down leaves the host as before up" "$before" "$(snapshot "$CONF")"
finish
