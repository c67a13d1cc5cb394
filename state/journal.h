/* SPDX-License-Identifier: MIT */
/* journal.h: the per-project state journal under /run/cengine/<project>/ and its lock. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/error.h"

/* Kinds of journal lines, in the order `up` writes them. Each line is
 * "<kind> <arg> [<arg>...]\n", written with one append before the object is
 * made, so a crash leaves at most an entry for an object that never existed. */
#define J_CGROUP "cgroup"	/* cgroup <rel path>                         */
#define J_BRIDGE "bridge"	/* bridge <ifname>                           */
#define J_DIR "dir"		/* dir <absolute path>  (rm -rf on down)     */
#define J_VETH "veth"		/* veth <host ifname>                        */
#define J_PID "pid"		/* pid <container> <pid> <starttime>         */
#define J_ADDR "addr"		/* addr <container> <ifname> <a.b.c.d/p>     */
#define J_UP "up"		/* up <containers>: the last line of an `up` that finished */
#define J_NET "net"		/* net <name> <bridge> <a.b.c.d/p> <gateway|-> (for ps; down ignores it) */
#define J_LINK "link"		/* link <a> <ifname> <b> <ifname> (dies with the netns) */
#define J_NAT "nat"		/* nat <project>: nftables table cengine-<project> */
#define J_FORWARD "forward"	/* forward <project>: host ip_forward asked by nat */

#define JOURNAL_MAX_ARGS 4

struct journal_entry {
	char kind[16];
	char *args[JOURNAL_MAX_ARGS];
	int n_args;
	char buf[512];		/* storage for args */
};

struct journal {
	char dir[256];		/* /run/cengine/<project> */
	int fd;			/* journal file, O_APPEND */
};

/* Root of all state, default /run/cengine (CENGINE_STATE_DIR overrides). */
const char *journal_root(void);
/* "<root>/<project>" into buf. */
void journal_dir(const char *project, char *buf, size_t len);

/* Take the project's lock (<root>/<project>.lock, flock). wait=false fails at
 * once with EWOULDBLOCK when another cengine holds it. Returns an fd. */
int journal_lock(const char *project, bool wait, struct ce_error *err);
/* Release and remove the lock file (after down). */
void journal_unlock_remove(const char *project, int fd);

/* Create the state dir and an empty journal; EEXIST when one is there. */
int journal_create(const char *project, struct journal *j, struct ce_error *err);
void journal_close(struct journal *j);
/* Append one line; returns -1 with err set on failure. */
int journal_add(struct journal *j, struct ce_error *err, const char *kind, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Read every entry; *n = 0 and return 0 when there is no journal.
 * Caller frees *entries. */
int journal_read(const char *project, struct journal_entry **entries, size_t *n, struct ce_error *err);
bool journal_exists(const char *project);

/* Remove the journal and the state dir itself (after everything it listed is gone). */
int journal_remove(const char *project, struct ce_error *err);

/* Process start time (field 22 of /proc/PID/stat) or 0 when pid is gone. */
unsigned long long proc_starttime(pid_t pid);
/* Is pid alive and still the process that had starttime? */
bool proc_is(pid_t pid, unsigned long long starttime);
