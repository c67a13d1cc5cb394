/* SPDX-License-Identifier: MIT */
/* run.c: `cengine run`: turn flags into a one-container project, bring it up attached, wait, tear down. */
#include "runtime/verbs/run.h"

#include <errno.h>
#include <libconfig.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "parser/parser.h"
#include "runtime/present/progress.h"
#include "runtime/present/pty.h"
#include "runtime/present/relay.h"
#include "runtime/verbs/verbs.h"
#include "util/addr.h"
#include "util/cleanup.h"
#include "util/escape.h"
#include "util/proc.h"
#include "util/stdio.h"

/* Settings of the config the flags make; any failure is out of memory. */
static bool add_string(config_setting_t *group, const char *name, const char *value)
{
	config_setting_t *s = config_setting_add(group, name, CONFIG_TYPE_STRING);

	return s && config_setting_set_string(s, value);
}

static bool add_network(config_setting_t *root, const char *subnet, const char *gateway)
{
	config_setting_t *list = config_setting_add(root, "networks", CONFIG_TYPE_LIST);
	config_setting_t *net = list ? config_setting_add(list, NULL, CONFIG_TYPE_GROUP) : NULL;

	return net && add_string(net, "name", "net") && add_string(net, "subnet", subnet) &&
	       add_string(net, "gateway", gateway);
}

static bool add_limits(config_setting_t *c, const struct run_opts *r)
{
	config_setting_t *s;

	if (r->has_cpu && !((s = config_setting_add(c, "cpu", CONFIG_TYPE_FLOAT)) && config_setting_set_float(s, r->cpu)))
		return false;
	if (r->memory && !add_string(c, "memory", r->memory))
		return false;
	return !r->has_pids || ((s = config_setting_add(c, "pids", CONFIG_TYPE_INT64)) && config_setting_set_int64(s, r->pids));
}

static bool add_container(config_setting_t *root, const struct run_opts *r)
{
	config_setting_t *list = config_setting_add(root, "containers", CONFIG_TYPE_LIST);
	config_setting_t *c = list ? config_setting_add(list, NULL, CONFIG_TYPE_GROUP) : NULL;
	config_setting_t *cmd;

	if (!c || !add_string(c, "name", r->name) || (r->rootfs && !add_string(c, "rootfs", r->rootfs)) ||
	    (r->image && !add_string(c, "image", r->image)) || !add_string(c, "ip", r->ip) || !add_limits(c, r))
		return false;
	if (!r->command)
		return true;	/* the image's */
	if (!(cmd = config_setting_add(c, "command", CONFIG_TYPE_ARRAY)))
		return false;
	for (char **a = r->command; *a; a++)
		if (!config_setting_set_string_elem(cmd, -1, *a))
			return false;
	return true;
}

/* The project of the flags as a libconfig config in memory, each flag the key it stands for: no
 * text is pasted, so no value can become another setting. The network is the --ip prefix; its
 * gateway the prefix's first address. */
static int build_config(config_t *cfg, const struct run_opts *r)
{
	char net[24], gw[16];
	_cleanup_free_ char *project = NULL;
	uint32_t addr;
	int prefix;

	if (addr_parse(r->ip, &addr, &prefix) < 0 || prefix < 8 || prefix > 30) {
		fprintf(stderr, "cengine: run: --ip: %s is not A.B.C.D/P with P from 8 to 30\n", r->ip);
		return -1;
	}
	addr_format(addr_network(addr, prefix), net, sizeof(net));
	snprintf(net + strlen(net), sizeof(net) - strlen(net), "/%d", prefix);
	addr_format(addr_network(addr, prefix) + 1, gw, sizeof(gw));
	if (asprintf(&project, "run-%s", r->name) < 0 || !add_string(config_root_setting(cfg), "name", project) ||
	    !add_network(config_root_setting(cfg), net, gw) || !add_container(config_root_setting(cfg), r)) {
		fprintf(stderr, "cengine: run: out of memory\n");
		return -1;
	}
	return 0;
}

/* The flag a setting of build_config() came from. */
static const char *flag_of(const char *path)
{
	static const struct { const char *prefix, *flag; } flags[] = {
		{ "containers.[0].name", "--name" }, { "containers.[0].hostname", "--name" }, { "name", "--name" },
		{ "containers.[0].rootfs", "--rootfs" }, { "containers.[0].image", "--image" },
		{ "containers.[0].ip", "--ip" }, { "networks", "--ip" },
		{ "containers.[0].cpu", "--cpu" }, { "containers.[0].memory", "--memory" },
		{ "containers.[0].pids", "--pids" }, { "containers.[0].command", "CMD" },
	};

	for (size_t i = 0; i < sizeof(flags) / sizeof(*flags); i++)
		if (!strncmp(path, flags[i].prefix, strlen(flags[i].prefix)))
			return flags[i].flag;
	return NULL;
}

/* The parser's "containers.[0].memory: why" as "cengine: run: --memory: why". */
static void print_flag_error(const char *msg)
{
	const char *why = strstr(msg, ": ");
	char setting[128], line[4 * CE_ERROR_MAX];
	const char *flag;

	snprintf(setting, sizeof(setting), "%.*s", why ? (int)(why - msg) : 0, msg);
	flag = why ? flag_of(setting) : NULL;
	if (flag)
		fprintf(stderr, "cengine: run: %s: %s\n", flag, escape_text(why + 2, line, sizeof(line)));
	else
		fprintf(stderr, "cengine: run: %s\n", escape_text(msg, line, sizeof(line)));
}

/* The flags through the same loader and checks as a file (parser_load_config); a relative --rootfs
 * is relative to the working directory. */
static int load_flags(const struct run_opts *r, struct project **p)
{
	_cleanup_(config_destroy) config_t cfg;
	struct ce_error err = { 0 };

	config_init(&cfg);
	if (build_config(&cfg, r) < 0)
		return -1;
	if (parser_load_config(&cfg, ".", p, &err) < 0) {
		print_flag_error(err.msg);
		return -1;
	}
	return 0;
}

/* The container is cloned with these as its stdio: with -t a pty of its own, else pipes that we
 * relay; never our terminal. saved[] keeps ours until detach_stdio(). */
static int attach_stdio(bool tty, struct pty *t, struct relay *io, int saved[3])
{
	struct ce_error err = { 0 };

	if (tty ? pty_attach(t, saved) == 0 : relay_open(io, &err) == 0 && relay_attach(io, saved) == 0)
		return 0;
	fprintf(stderr, "cengine: %s\n", err.msg[0] ? err.msg : strerror(errno));
	if (tty)
		stdio_restore(saved);
	else
		relay_detach(io, saved);
	return -1;
}

int runtime_run(const struct run_opts *r)
{
	_cleanup_(project_freep) struct project *p = NULL;
	_cleanup_(relay_close) struct relay io = RELAY_INIT;
	struct up_opts o = { .interactive = true, .quiet = true };
	struct ce_error err = { 0 };
	struct pty t = { -1, -1 };
	int saved[3] = { -1, -1, -1 };
	pid_t init = 0;
	bool tty;
	int rc;

	progress_set(false);
	tty = r->tty && isatty(STDIN_FILENO);	/* -t on a terminal: a pty like exec -it */
	if (load_flags(r, &p) < 0)
		return 2;
	if (runtime_images_prepare(p, &err) < 0) {
		fprintf(stderr, "cengine: %s\n", err.msg);
		return 1;
	}
	if (attach_stdio(tty, &t, &io, saved) < 0) {
		pty_close(&t);
		return 1;
	}
	rc = runtime_up(p, &o, &init, &err);
	if (tty)
		stdio_restore(saved);
	else
		relay_detach(&io, saved);
	if (rc != 0) {
		fprintf(stderr, "cengine: %s\n", err.msg);
		pty_close(&t);
		return 1;
	}
	rc = tty ? pty_relay(&t, init) : relay_run(&io, init);
	pty_close(&t);
	if (runtime_down(p->name, 0, &err) < 0) {
		fprintf(stderr, "cengine: %s\n", err.msg);
		return rc ? rc : 1;
	}
	return rc;
}
