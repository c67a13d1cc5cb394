/* SPDX-License-Identifier: MIT */
/* pty.h: exec -it / run -it: a pseudo-terminal for the command, relayed to ours in raw mode. */
#pragma once

#include <sys/types.h>

#include "util/error.h"

struct pty {
	int master, slave;
};
int pty_open(struct pty *t, struct ce_error *err);
/* A pty from the devpts of the container whose pid 1 is `pid` (so `tty`
 * names it inside), owned by the container's root; else from the host's. */
int pty_open_in(struct pty *t, pid_t pid, struct ce_error *err);
/* In the child: new session, slave as controlling terminal and stdio. */
int pty_make_controlling(struct pty *t);
/* In the parent: our terminal raw, relay both ways, SIGWINCH -> TIOCSWINSZ,
 * until the child `pid` exits; returns its exit status (128+sig when killed). */
int pty_relay(struct pty *t, pid_t pid);
void pty_close(struct pty *t);
/* run -t: open a pty and make its slave our stdio (saved[] keeps ours) while
 * the container is cloned; stdio_restore() (util/stdio.h) puts ours back. */
int pty_attach(struct pty *t, int saved[3]);
