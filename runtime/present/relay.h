/* SPDX-License-Identifier: MIT */
/* relay.h: exec and run without -t: the command's stdin, stdout and stderr are pipes that we copy to and from ours. */
#pragma once

#include <signal.h>
#include <sys/types.h>

#include "util/error.h"

/* Three pipes, [0] the read end and [1] the write end of each; -1 once closed. The command gets
 * in[0], out[1], err[1]; we keep the others. Nothing of ours (a terminal above all) reaches it. */
struct relay {
	int in[2], out[2], err[2];
};
#define RELAY_INIT { { -1, -1 }, { -1, -1 }, { -1, -1 } }

int relay_open(struct relay *r, struct ce_error *err);
/* In the command's process: its ends become fds 0-2, every other end is closed. 0 or -1. */
int relay_child(struct relay *r);
/* run: the command's ends become our own fds 0-2 while the container is cloned (saved[] keeps
 * ours); relay_detach() puts ours back and closes the command's ends here. */
int relay_attach(struct relay *r, int saved[3]);
void relay_detach(struct relay *r, int saved[3]);
/* In the parent: our stdin to the command, its stdout and stderr to ours; SIGINT, SIGTERM, SIGHUP,
 * SIGQUIT, SIGUSR1 and SIGUSR2 sent to us go to `pid`. Once `pid` exits, what it wrote is delivered
 * and its exit status (128+sig when killed) returned; leftovers of its background processes are
 * not waited for. */
int relay_run(struct relay *r, pid_t pid);
/* The signals a relay forwards (those of the list above we do not ignore: nohup stays nohup), and SIGCHLD. */
void relay_signals(sigset_t *set);
void relay_close(struct relay *r);
