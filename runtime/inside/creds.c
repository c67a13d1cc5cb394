/* SPDX-License-Identifier: MIT */
/* creds.c: the credentials a container process takes before exec: its user namespace's root, its capability sets. */
#include "runtime/inside/creds.h"

#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "model/caps.h"

static int last_cap(void)
{
	int last = CAPS_KNOWN - 1;

	while (prctl(PR_CAPBSET_READ, last + 1, 0, 0, 0) >= 0)
		last++;
	return last;
}

int caps_apply(uint64_t mask)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = { 0 };
	int last = last_cap();

	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		return -1;
	for (int c = 0; c <= last; c++)
		if (!(c < 64 && (mask >> c) & 1) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
			return -1;
	if (syscall(SYS_capget, &hdr, data) < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		uint32_t m = (uint32_t)(mask >> (32 * i));

		data[i].effective &= m;
		data[i].permitted &= m;
		data[i].inheritable = 0;
	}
	return (int)syscall(SYS_capset, &hdr, data);
}

int creds_become_root(void)
{
	if (setgroups(0, NULL) < 0 || setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
		return -1;
	return 0;
}
