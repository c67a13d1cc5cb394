/* SPDX-License-Identifier: MIT */
/* journal.h: the per-project state journal under /run/cengine/<project>/ and its lock. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/error.h"
#include "util/proc.h"

/* Kinds of journal lines, in the order `up` writes them. Each line is
 * "<kind> <arg> [<arg>...]\n", written with one append before the object is
 * made, so a crash leaves at most an entry for an object that never existed.
 * The text is the format on disk (read back by older and newer cengines alike);
 * the enum is what the code dispatches on, parsed once by journal_read().
 * A new kind: one value here, its row in journal.c, its row in runtime/verbs/undo.c. */
enum journal_kind {
	JOURNAL_UNKNOWN = 0,	/* a kind this cengine does not know, or too few arguments */
	J_CGROUP,		/* cgroup <rel path>                         */
	J_BRIDGE,		/* bridge <ifname>                           */
	J_DIR,			/* dir <absolute path>  (rm -rf on down)     */
	J_VETH,			/* veth <host ifname>                        */
	J_IFINDEX,		/* ifindex <ifname> <index>: the bridge or veth above, made and marked */
	J_PID,			/* pid <container> <pid> <starttime>         */
	J_ADDR,			/* addr <container> <ifname> <a.b.c.d/p>     */
	J_UP,			/* up <containers>: the last line of an `up` that finished */
	J_NET,			/* net <name> <bridge> <a.b.c.d/p> <gateway|-> (for ps; down ignores it) */
	J_LINK,			/* link <a> <ifname> <b> <ifname> (dies with the netns) */
	J_NAT,			/* nat <project>: nftables table cengine-<project> */
	J_FORWARD,		/* forward <project>: host ip_forward asked by nat */
	J_STARTED,		/* started: every container above has set up its root and runs its command */
	J_PROFILE,		/* profile <container> caps=<hex> seccomp=on|off userns=<uid>:<gid>:<count>|off
				 * (what exec and ready apply; down ignores it) */
	J_KEEPER,		/* keeper <pid> <starttime>: the project's log keeper (writes the logs) */
	J_ROOTFS,		/* rootfs <container> <tree>: the cached tarball tree it uses (for prune) */
	J_FILTER,		/* filter <project>: nftables tables bridge and inet cengine-<project> */
	J_STOP,			/* stop <container> <signal> <timeout ms|-1>: how down stops the pid after it */
	JOURNAL_KINDS		/* number of kinds, JOURNAL_UNKNOWN included */
};

#define JOURNAL_MAX_ARGS 4

/* One line of the journal. args point into buf; a known kind always has at
 * least the arguments its line above lists (else it reads as JOURNAL_UNKNOWN). */
struct journal_entry {
	enum journal_kind kind;
	char word[16];		/* the kind as written (for messages about unknown ones) */
	unsigned line;		/* 1-based line number in the journal file */
	char *args[JOURNAL_MAX_ARGS];
	int n_args;
	char buf[512];		/* storage for args */
};

/* The on-disk word of a kind ("pid"); "unknown" for JOURNAL_UNKNOWN or out of range. */
const char *journal_kind_name(enum journal_kind kind);
/* The kind of a word and argument count; JOURNAL_UNKNOWN for an unknown word or too few arguments. */
enum journal_kind journal_kind_parse(const char *word, int n_args);

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
int journal_add(struct journal *j, struct ce_error *err, enum journal_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Read every entry; *n = 0 and return 0 when there is no journal.
 * A last line without its newline is a torn append whose object was never
 * made: it is left out. Caller frees *entries. */
int journal_read(const char *project, struct journal_entry **entries, size_t *n, struct ce_error *err);
bool journal_exists(const char *project);

/* "kind arg arg..." of an entry as it was written, for messages. */
void journal_entry_text(const struct journal_entry *e, char *buf, size_t len);

/* Remove the journal and the state dir itself (after everything it listed is gone). */
int journal_remove(const char *project, struct ce_error *err);
