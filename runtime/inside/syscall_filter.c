/* SPDX-License-Identifier: MIT */
/* syscall_filter.c: no_new_privs and the default deny list, loaded with libseccomp; denied calls fail with EPERM. */
#include "runtime/inside/syscall_filter.h"

#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/prctl.h>

/* Kept in step with man/cengine.conf.5. */
static const char *const denied[] = {
	"kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
	"reboot", "swapon", "swapoff", "acct", "bpf", "perf_event_open", "keyctl", "add_key",
	"request_key", "open_by_handle_at", "name_to_handle_at", "userfaultfd", "kcmp",
	"lookup_dcookie", "quotactl", "quotactl_fd", "settimeofday", "clock_settime",
	"clock_adjtime", "adjtimex", "iopl", "ioperm", "syslog", "vhangup", "nfsservctl",
	"uselib", "fanotify_init",
	/* io_uring runs syscalls' work in kernel threads that seccomp never sees, and has been the
	 * source of many kernel privilege escalations (Docker and Google deny it since 2023) */
	"io_uring_setup", "io_uring_enter", "io_uring_register",
};

/* Denied too unless cap_add gives CAP_SYS_ADMIN: mounts and namespaces. */
static const char *const admin_only[] = {
	"unshare", "setns", "mount", "umount2", "pivot_root", "move_mount", "open_tree", "fsopen",
	"fsmount", "fsconfig", "fspick", "mount_setattr",
};

static const unsigned long ns_flags[] = {
	CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET,
	CLONE_NEWCGROUP,
};

#define N(a) (sizeof(a) / sizeof(*(a)))

static int deny(scmp_filter_ctx ctx, const char *const *names, size_t n)
{
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < n; i++) {
		int nr = seccomp_syscall_resolve_name(names[i]);

		if (nr != __NR_SCMP_ERROR)
			rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
	}
	return rc;
}

/* clone with a namespace flag: EPERM; clone3 (flags in memory): ENOSYS, so libc falls back to clone. */
static int deny_namespaces(scmp_filter_ctx ctx)
{
	int rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);

	for (size_t i = 0; rc == 0 && i < N(ns_flags); i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
				      SCMP_A0(SCMP_CMP_MASKED_EQ, ns_flags[i], ns_flags[i]));
	return rc;
}

int syscall_filter_apply(bool enabled, bool sys_admin)
{
	scmp_filter_ctx ctx;
	int rc;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	if (!enabled)
		return 0;
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return errno = ENOMEM, -1;
	rc = deny(ctx, denied, N(denied));
	if (rc == 0 && !sys_admin)
		rc = deny(ctx, admin_only, N(admin_only));
	if (rc == 0 && !sys_admin)
		rc = deny_namespaces(ctx);
	if (rc == 0)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc < 0)
		errno = -rc;
	return rc < 0 ? -1 : 0;
}
