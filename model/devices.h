/* SPDX-License-Identifier: MIT */
/* devices.h: the devices a container may create (mknod), read and write, as data: an allow-list of rules. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/project.h"

/* What a rule allows; the values are the kernel's BPF_DEVCG_ACC_* bits. */
enum device_access { DEVICE_MKNOD = 1, DEVICE_READ = 2, DEVICE_WRITE = 4, DEVICE_RWM = 7 };

#define DEVICE_ANY (-1)		/* a major or minor number that matches every number */
#define DEVICES_MAX 64		/* rules of one container */

/* One allow-list entry: everything not allowed by some rule is denied. */
struct device_rule {
	char type;		/* 'c' character, 'b' block, 'a' both */
	int32_t major;		/* DEVICE_ANY or 0..4095 */
	int32_t minor;		/* DEVICE_ANY or 0..1048575 */
	uint8_t access;		/* enum device_access bits */
};

/* Type 'a', 'b' or 'c'; numbers DEVICE_ANY or in the kernel's range (major < 4096, minor < 2^20);
 * access not empty and only DEVICE_RWM bits. */
bool devices_rule_valid(const struct device_rule *r);

/* A device a container may ask for by path (`devices`): character devices of a fixed number that
 * reach no host disk, memory or port (tun, fuse, ppp, vhost-net, vhost-vsock, kvm). */
struct known_device {
	const char *path;	/* "/dev/net/tun": where the host has it and the container gets it */
	int32_t major, minor;
};

/* The table's entry for path, or NULL: the devices key refuses every other path. */
const struct known_device *devices_known(const char *path);
/* "/dev/net/tun, /dev/fuse, ...": the table's paths, for messages. */
const char *devices_known_list(void);

/* The container's allow-list into rules[max]: Docker's default list (null, zero, full, random,
 * urandom, tty, ptmx, the pty slaves), then one rwm rule per device of its `devices`.
 * Returns how many, or -1 when more than max. */
int devices_rules(const struct container *c, struct device_rule *rules, size_t max);
