/* SPDX-License-Identifier: MIT */
/* caps.c: capability names and the container's capability mask (Docker's default set, cap_add, cap_drop). */
#include "model/caps.h"

#include <linux/capability.h>
#include <stdbool.h>
#include <strings.h>

static const char *const cap_names[] = {
	"CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID",
	"SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW",
	"IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
	"SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD",
	"LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG",
	"WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE",
};
#define N_CAPS ((int)(sizeof(cap_names) / sizeof(*cap_names)))
_Static_assert(N_CAPS == CAPS_KNOWN, "cap_names and CAPS_KNOWN agree");

/* Docker's default list. */
static const int default_caps[] = {
	CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FSETID, CAP_FOWNER, CAP_MKNOD, CAP_NET_RAW, CAP_SETGID,
	CAP_SETUID, CAP_SETFCAP, CAP_SETPCAP, CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT, CAP_KILL,
	CAP_AUDIT_WRITE,
};

int caps_number(const char *name)
{
	if (!strncasecmp(name, "CAP_", 4))
		name += 4;
	if (!strcasecmp(name, "ALL"))
		return -2;
	for (int i = 0; i < N_CAPS; i++)
		if (!strcasecmp(name, cap_names[i]))
			return i;
	return -1;
}

static uint64_t names_mask(char **names)
{
	uint64_t m = 0;

	for (; names && *names; names++) {
		int n = caps_number(*names);

		m |= n == -2 ? ~0ULL : n >= 0 ? 1ULL << n : 0;
	}
	return m;
}

uint64_t caps_mask(const struct security *sec)
{
	uint64_t m = 0;

	for (size_t i = 0; i < sizeof(default_caps) / sizeof(*default_caps); i++)
		m |= 1ULL << default_caps[i];
	m |= names_mask(sec->cap_add);
	m &= ~names_mask(sec->cap_drop);
	return m & ((1ULL << N_CAPS) - 1);
}
