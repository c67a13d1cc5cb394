/* SPDX-License-Identifier: MIT */
/* devices.c: the default device allow-list (Docker's) and a container's list of rules. */
#include "model/devices.h"

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

bool devices_rule_valid(const struct device_rule *r)
{
	return (r->type == 'a' || r->type == 'b' || r->type == 'c') &&
	       r->major >= DEVICE_ANY && r->major < (1 << 12) && r->minor >= DEVICE_ANY && r->minor < (1 << 20) &&
	       r->access && !(r->access & ~DEVICE_RWM);
}

int devices_rules(const struct container *c, struct device_rule *rules, size_t max)
{
	size_t n = sizeof(default_rules) / sizeof(*default_rules);

	(void)c;	/* a `devices` key will append the container's own rules here */
	if (n > max)
		return -1;
	for (size_t i = 0; i < n; i++)
		rules[i] = default_rules[i];
	return (int)n;
}
