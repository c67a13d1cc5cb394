/* SPDX-License-Identifier: MIT */
/* devices.c: the default device allow-list (Docker's) and a container's list of rules. */
#include "model/devices.h"

#include <string.h>

/* Kept in step with man/cengine.conf.5. /dev/tty is the opener's own controlling terminal. */
static const struct device_rule default_rules[] = {
	{ 'c', 1, 3, DEVICE_RWM },		/* /dev/null */
	{ 'c', 1, 5, DEVICE_RWM },		/* /dev/zero */
	{ 'c', 1, 7, DEVICE_RWM },		/* /dev/full */
	{ 'c', 1, 8, DEVICE_RWM },		/* /dev/random */
	{ 'c', 1, 9, DEVICE_RWM },		/* /dev/urandom */
	{ 'c', 5, 0, DEVICE_RWM },		/* /dev/tty */
	{ 'c', 5, 2, DEVICE_RWM },		/* /dev/ptmx (the container's own devpts) */
	{ 'c', 136, DEVICE_ANY, DEVICE_RWM },	/* /dev/pts/N */
};

/* Kept in step with man/cengine.conf.5. No block device, nothing of the host's memory, ports or
 * disks (/dev/mem, /dev/kmem, /dev/port, /dev/sd*, ...): each of these is a kernel interface a
 * container gets a namespace-local or per-open instance of. */
static const struct known_device known[] = {
	{ "/dev/net/tun", 10, 200 },		/* TUN/TAP: VPN and router tests */
	{ "/dev/fuse", 10, 229 },		/* FUSE file systems */
	{ "/dev/ppp", 108, 0 },			/* PPP links */
	{ "/dev/vhost-net", 10, 238 },		/* virtio-net backends */
	{ "/dev/vhost-vsock", 10, 241 },	/* virtio-vsock backends */
	{ "/dev/kvm", 10, 232 },		/* virtual machines in the container */
};

#define N_KNOWN (sizeof(known) / sizeof(*known))

const struct known_device *devices_known(const char *path)
{
	for (size_t i = 0; i < N_KNOWN; i++)
		if (!strcmp(known[i].path, path))
			return &known[i];
	return NULL;
}

const char *devices_known_list(void)
{
	return "/dev/net/tun, /dev/fuse, /dev/ppp, /dev/vhost-net, /dev/vhost-vsock, /dev/kvm";
}

bool devices_rule_valid(const struct device_rule *r)
{
	return (r->type == 'a' || r->type == 'b' || r->type == 'c') &&
	       r->major >= DEVICE_ANY && r->major < (1 << 12) && r->minor >= DEVICE_ANY && r->minor < (1 << 20) &&
	       r->access && !(r->access & ~DEVICE_RWM);
}

int devices_rules(const struct container *c, struct device_rule *rules, size_t max)
{
	size_t n = sizeof(default_rules) / sizeof(*default_rules);
	char *const *own = c ? c->fx.devices : NULL;

	if (n > max)
		return -1;
	for (size_t i = 0; i < n; i++)
		rules[i] = default_rules[i];
	for (size_t i = 0; own && own[i]; i++) {
		const struct known_device *d = devices_known(own[i]);

		if (!d)
			continue;	/* the parser let none through */
		if (n >= max)
			return -1;
		rules[n++] = (struct device_rule){ 'c', d->major, d->minor, DEVICE_RWM };
	}
	return (int)n;
}
