/* SPDX-License-Identifier: MIT */
/* doctor_probe.c: doctor's probes, each tried in a forked child in namespaces of its own: user namespaces, idmapped mounts, bridge and veth, netem, tbf. */
#include "runtime/verbs/doctor.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net/net.h"
#include "runtime/launch/userns.h"
#include "util/cleanup.h"

#define PROBE_BRIDGE "cedoctor0"	/* made in the probe's own netns, gone with it */

/* A probe: fn runs in a forked child; its answer ("" or its error) comes back through a pipe. */
typedef int (*probe_fn)(const void *arg, struct ce_error *err);

static int probe(probe_fn fn, const void *arg, struct ce_error *err)
{
	char msg[CE_ERROR_MAX];
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return ce_error_set(err, errno, "pipe");
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return ce_error_set(err, errno, "fork");
	if (pid == 0) {
		struct ce_error e = { 0 };
		int rc = fn(arg, &e);

		close(fds[0]);
		if (write(fds[1], e.msg, strlen(e.msg) + 1) < 0 || rc < 0)
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	n = read(fds[0], msg, sizeof(msg) - 1);
	close(fds[0]);
	waitpid(pid, &status, 0);
	if (n <= 0)
		return ce_error_set(err, EPIPE, "the probe died");
	msg[n] = '\0';
	return msg[0] || !WIFEXITED(status) || WEXITSTATUS(status) ? ce_error_set(err, 0, "%s", msg[0] ? msg : "failed") : 0;
}

static int try_userns(const void *arg, struct ce_error *err)
{
	(void)arg;
	return unshare(CLONE_NEWUSER) < 0 ? ce_error_set(err, errno, "unshare(CLONE_NEWUSER)") : 0;
}

/* A bridge in a netns of its own, and with `im` its qdiscs; with a veth (im NULL) a veth port. */
static int try_links(const void *arg, struct ce_error *err)
{
	const struct net_impair *im = arg;
	_cleanup_(net_closep) struct net_ctx *nl = NULL;
	_cleanup_close_ int self = -1;

	if (unshare(CLONE_NEWNET) < 0)
		return ce_error_set(err, errno, "unshare(CLONE_NEWNET)");
	if (net_open(&nl, err) < 0 || net_bridge_create(nl, PROBE_BRIDGE, NULL, 0, false, 0, err) < 0)
		return -1;
	if (im)
		return net_qdisc_set(nl, PROBE_BRIDGE, im, err);
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	struct net_veth v = { .host_name = "cedoctor1", .bridge = PROBE_BRIDGE, .netns_fd = self,
			      .peer_name = "cedoctor2" };
	return net_veth_create(nl, &v, err) < 0 ? -1 : 0;
}

void doctor_userns(const struct project *p, struct doctor_check *c)
{
	struct ce_error err = { 0 };

	if (probe(try_userns, NULL, &err) == 0) {
		snprintf(c->what, sizeof(c->what), "user namespaces can be made: containers run as an unprivileged id range");
		return;
	}
	c->status = doctor_missing(doctor_needs_userns(p));
	snprintf(c->what, sizeof(c->what), "no user namespace can be made (%s): containers with userns (the default) "
		 "cannot start", err.msg);
	snprintf(c->fix, sizeof(c->fix), "sysctl user.max_user_namespaces=15000 (a kernel with CONFIG_USER_NS), or set "
		 "userns = false");
}

/* A child in a user namespace of its own, mapped to the default range, waits on `hold` until the
 * parent closes it; the parent makes an idmapped clone of `dir` through it. */
static int try_idmap(const char *dir, struct ce_error *err)
{
	struct idmap m = { 0 };
	int ready[2], hold[2], rc = -1;
	char c;
	pid_t pid;

	if (userns_default_range(&m, err) < 0 || pipe2(ready, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(hold, O_CLOEXEC) < 0) {
		close(ready[0]), close(ready[1]);
		return ce_error_set(err, errno, "pipe");
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(ready[0]), close(hold[1]);
		c = unshare(CLONE_NEWUSER) == 0;
		if (write(ready[1], &c, 1) == 1 && c)
			while (read(hold[0], &c, 1) > 0) {}
		_exit(0);
	}
	close(ready[1]), close(hold[0]);
	m.on = true;
	if (pid > 0 && read(ready[0], &c, 1) == 1 && c && userns_write_maps(pid, &m, err) == 0) {
		int fd = userns_idmapped_tree(pid, dir, err);

		rc = fd < 0 ? -1 : 0;
		if (fd >= 0)
			close(fd);
	} else if (!err->msg[0]) {
		ce_error_set(err, 0, "no user namespace to map through");
	}
	close(ready[0]), close(hold[1]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return rc;
}

void doctor_idmap(const struct project *p, struct doctor_check *c)
{
	struct ce_error err = { 0 };
	char dir[512];

	doctor_cache_dir(dir, sizeof(dir));
	if (try_idmap(dir, &err) == 0) {
		snprintf(c->what, sizeof(c->what), "idmapped mounts work on %s (the rootfs cache's file system): a "
			 "container's root tree is shown to it under its own ids, never chowned", dir);
		return;
	}
	c->status = doctor_missing(doctor_needs_userns(p));
	snprintf(c->what, sizeof(c->what), "no idmapped mount (tried on %.200s): %.700s", dir, err.msg);
	snprintf(c->fix, sizeof(c->fix), "a kernel >= 5.12 and a file system with idmapped mounts (ext4, xfs, btrfs, "
		 "tmpfs) under the rootfs trees and the cache, or set userns = false");
}

void doctor_links(const struct project *p, struct doctor_check *c)
{
	struct ce_error err = { 0 };

	if (probe(try_links, NULL, &err) == 0) {
		snprintf(c->what, sizeof(c->what), "a bridge and a veth port can be made (tried in a private netns)");
		return;
	}
	c->status = DOCTOR_FAIL;
	snprintf(c->what, sizeof(c->what), "no bridge or veth could be made: %s%s", err.msg,
		 p && !p->n_networks ? "" : "; bridge networks cannot work");
	snprintf(c->fix, sizeof(c->fix), "run as root, on a kernel with CONFIG_BRIDGE and CONFIG_VETH (modprobe bridge veth)");
}

static void qdisc_check(const struct net_impair *im, const char *kind, const char *keys, bool needed,
			struct doctor_check *c)
{
	struct ce_error err = { 0 };

	if (probe(try_links, im, &err) == 0) {
		snprintf(c->what, sizeof(c->what), "the %s qdisc can be set (tried in a private netns): %s can be used", kind, keys);
		return;
	}
	c->status = doctor_missing(needed);
	snprintf(c->what, sizeof(c->what), "no %s qdisc in this kernel (%s): %s cannot be set%s", kind, err.msg, keys,
		 needed ? ", and the file uses them" : "");
	snprintf(c->fix, sizeof(c->fix), "modprobe sch_%s (CONFIG_NET_SCH_%s; Ubuntu: linux-modules-extra-$(uname -r)), "
		 "or leave %s out of the file", kind, !strcmp(kind, "netem") ? "NETEM" : "TBF", keys);
}

void doctor_netem(const struct project *p, struct doctor_check *c)
{
	static const struct net_impair im = { .delay_us = 1000 };

	qdisc_check(&im, "netem", "delay, jitter and loss", doctor_needs_netem(p), c);
}

void doctor_tbf(const struct project *p, struct doctor_check *c)
{
	static const struct net_impair im = { .rate = 1000000 };

	qdisc_check(&im, "tbf", "rate", doctor_needs_tbf(p), c);
}

void doctor_probes_quiet(void)
{
	signal(SIGPIPE, SIG_IGN);
}
