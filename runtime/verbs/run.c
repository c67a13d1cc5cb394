/* SPDX-License-Identifier: MIT */
/* run.c: `cengine run`: turn flags into a one-container project, bring it up attached, wait, tear down. */
#include "runtime/verbs/run.h"

#include <errno.h>
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
#include "util/proc.h"

/* Write s as the inside of a libconfig string literal. */
static void put_string_body(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
}

/* Write s as a libconfig string literal. */
static void put_string(FILE *f, const char *s)
{
	fputc('"', f);
	put_string_body(f, s);
	fputc('"', f);
}

/* The network is the --ip prefix; its gateway the prefix's first address. */
static int write_conf(FILE *f, const struct run_opts *r)
{
	char net[16], gw[16];
	uint32_t addr;
	int prefix;

	if (addr_parse(r->ip, &addr, &prefix) < 0 || prefix < 8 || prefix > 30) {
		fprintf(stderr, "cengine: run: --ip: %s is not A.B.C.D/P with P from 8 to 30\n", r->ip);
		return -1;
	}
	addr_format(addr_network(addr, prefix), net, sizeof(net));
	addr_format(addr_network(addr, prefix) + 1, gw, sizeof(gw));
	fprintf(f, "name = \"run-");
	put_string_body(f, r->name);
	fprintf(f, "\";\nnetworks = ( { name = \"net\"; subnet = \"%s/%d\"; gateway = \"%s\"; } );\n", net, prefix,
		gw);
	fprintf(f, "containers = ( { name = ");
	put_string(f, r->name);
	fprintf(f, "; rootfs = ");
	put_string(f, r->rootfs);
	fprintf(f, "; ip = ");
	put_string(f, r->ip);
	if (r->has_cpu)
		fprintf(f, "; cpu = %.17g", r->cpu);	/* a libconfig number that reads back as the same double */
	if (r->memory)
		fprintf(f, "; memory = "), put_string(f, r->memory);
	if (r->has_pids)
		fprintf(f, "; pids = %ldL", r->pids);
	fprintf(f, "; command = [ ");
	for (char **a = r->command; *a; a++)
		put_string(f, *a), fputs(a[1] ? ", " : "", f);
	fprintf(f, " ]; } );\n");
	return 0;
}

/* "TMP:3: containers.[0].memory: why" -> "--memory: why" */
static void print_flag_error(const char *msg)
{
	const char *setting = strstr(msg, ": ");
	const char *why = setting ? strstr(setting + 2, ": ") : NULL;
	const char *dot;

	if (!why) {
		fprintf(stderr, "cengine: %s\n", msg);
		return;
	}
	dot = memrchr(setting + 2, '.', (size_t)(why - setting - 2));
	fprintf(stderr, "cengine: run: --%.*s: %s\n", (int)(why - (dot ? dot + 1 : setting + 2)),
		dot ? dot + 1 : setting + 2, why + 2);
}

static int load_flags(const struct run_opts *r, struct project **p)
{
	char path[] = "/tmp/cengine-run-XXXXXX.conf";
	struct ce_error err = { 0 };
	int fd = mkstemps(path, 5), rc;
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	if (!f) {
		fprintf(stderr, "cengine: temporary file: %s\n", strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(path);
		}
		return -1;
	}
	rc = write_conf(f, r);
	fclose(f);
	if (rc == 0 && parser_load(path, p, &err) < 0) {
		print_flag_error(err.msg);
		rc = -1;
	}
	unlink(path);
	return rc;
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
		pty_detach(saved);
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
	if (attach_stdio(tty, &t, &io, saved) < 0) {
		pty_close(&t);
		return 1;
	}
	rc = runtime_up(p, &o, &init, &err);
	if (tty)
		pty_detach(saved);
	else
		relay_detach(&io, saved);
	if (rc < 0) {
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
