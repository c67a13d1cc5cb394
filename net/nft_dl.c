/* SPDX-License-Identifier: MIT */
/* nft_dl.c: libnftables, opened with dlopen() the first time a project needs its tables; one batch a run. */
#include "net/nft_dl.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net/nft.h"
#include "util/cleanup.h"

LIB_DL_LIBRARY(libnftables, NFT_DL_FUNCTIONS, "libnftables", LIBNFTABLES_SONAME, LIBNFTABLES_PACKAGE,
	       "a bridge network (source filtering and forwarding policy)")

int nft_dl_load(struct ce_error *err)
{
	return lib_dl_load(&libnftables, err);
}

CE_DEFINE_CLEANUP(struct nft_ctx, lib_dl_nft_ctx_free, nft_ctx_freep)

/* nft's error is "Error: why\n<the command>\n<carets>": both first lines, on one line. */
static int nft_error(struct ce_error *err, const char *what, const char *msg)
{
	const char *cmd = strchr(msg, '\n');
	int n = (int)strcspn(msg, "\n");

	cmd = cmd ? cmd + 1 + strspn(cmd + 1, " \t") : "";
	if (!*cmd || *cmd == '\n')
		return ce_error_set(err, EIO, "%s: %.*s", what, n, msg);
	return ce_error_set(err, EIO, "%s: %.*s, in: %.*s", what, n, msg, (int)strcspn(cmd, "\n"), cmd);
}

/* Run cmds in a new context with output flags `flags`, left in *out for the caller to free (its
 * socket's close may wait). */
static int run_flags(struct nft_ctx **out, const char *cmds, unsigned flags, const char *what, struct ce_error *err)
{
	const char *msg;

	if (nft_dl_load(err) < 0)
		return ce_error_wrap(err, "%s", what);
	*out = lib_dl_nft_ctx_new(NFT_CTX_DEFAULT);
	if (!*out)
		return ce_error_set(err, ENOMEM, "%s: nftables context", what);
	lib_dl_nft_ctx_output_set_flags(*out, flags);
	lib_dl_nft_ctx_buffer_output(*out);
	lib_dl_nft_ctx_buffer_error(*out);
	if (lib_dl_nft_run_cmd_from_buffer(*out, cmds) == 0)
		return 0;
	msg = lib_dl_nft_ctx_get_error_buffer(*out);
	return nft_error(err, what, msg ? msg : "");
}

static int run(struct nft_ctx **out, const char *cmds, const char *what, struct ce_error *err)
{
	return run_flags(out, cmds, 0, what, err);
}

int nft_batch_run(const char *cmds, const char *what, struct ce_error *err)
{
	_cleanup_(nft_ctx_freep) struct nft_ctx *nft = NULL;

	return run(&nft, cmds, what, err);
}

int nft_batch_list_flags(const char *cmds, unsigned flags, const char *what, char **out, struct ce_error *err)
{
	_cleanup_(nft_ctx_freep) struct nft_ctx *nft = NULL;
	const char *msg;

	if (run_flags(&nft, cmds, flags, what, err) < 0)
		return -1;
	msg = lib_dl_nft_ctx_get_output_buffer(nft);
	if (!(*out = strdup(msg ? msg : "")))
		return ce_error_set(err, ENOMEM, "%s", what);
	return 0;
}

int nft_batch_list(const char *cmds, const char *what, char **out, struct ce_error *err)
{
	return nft_batch_list_flags(cmds, 0, what, out, err);
}

bool nft_word_ok(const char *s, size_t max)
{
	size_t n = strlen(s);

	return n && n < max && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

/* The child: the batch, the answer on answer_fd ("" or the error), then the close. With
 * keep_fds it keeps the caller's descriptors until it exits: the project's lock among
 * them, so that no `down` starts before the batch is in (even if the caller dies). */
static __attribute__((noreturn)) void batch_child(const char *cmds, const char *what, int answer_fd, bool keep_fds)
{
	struct nft_ctx *nft = NULL;
	struct ce_error err = { 0 };

	signal(SIGPIPE, SIG_IGN);	/* the parent may be gone before the answer */
	if (!keep_fds && answer_fd > 3)
		syscall(SYS_close_range, 3, answer_fd - 1, 0);	/* no lock or journal outlives the parent */
	if (!keep_fds)
		syscall(SYS_close_range, answer_fd + 1, ~0U, 0);
	run(&nft, cmds, what, &err);
	if (write(answer_fd, err.msg, strlen(err.msg) + 1) < 0)
		_exit(1);
	close(answer_fd);
	nft_ctx_freep(&nft);
	_exit(err.code ? 1 : 0);
}

/* Fork the batch's child; *p holds its pid and the answer's read end. libnftables is
 * loaded here, not in the child: down forks while its link thread runs, and a child of
 * a threaded process must not take the loader's locks. */
static int batch_fork(const char *cmds, const char *what, bool keep_fds, struct net_pending *p, struct ce_error *err)
{
	int answer[2];

	if (nft_dl_load(err) < 0)
		return ce_error_wrap(err, "%s", what);
	if (pipe2(answer, O_CLOEXEC) < 0)
		return ce_error_set(err, errno, "%s: pipe", what);
	fflush(NULL);
	p->pid = fork();
	if (p->pid < 0) {
		close(answer[0]), close(answer[1]);
		return ce_error_set(err, errno, "%s: fork", what);
	}
	if (p->pid == 0)
		batch_child(cmds, what, answer[1], keep_fds);
	close(answer[1]);
	p->fd = answer[0];
	return 0;
}

/* The child's answer: 0 or -1 with its error; reap it when `reap` (it exits right after). */
static int batch_answer(struct net_pending *p, bool reap, struct ce_error *err)
{
	char msg[CE_ERROR_MAX];
	ssize_t n = read(p->fd, msg, sizeof(msg) - 1);

	close(p->fd);
	if (reap || n <= 0)
		waitpid(p->pid, NULL, 0);
	*p = (struct net_pending)NET_PENDING_NONE;
	if (n <= 0)
		return ce_error_set(err, EPIPE, "nftables: the process that ran the batch died");
	msg[n] = '\0';
	return msg[0] ? ce_error_set(err, 0, "%s", msg) : 0;
}

int nft_batch_start(const char *cmds, const char *what, struct net_pending *p, struct ce_error *err)
{
	return batch_fork(cmds, what, true, p, err);
}

int net_pending_wait(struct net_pending *p, struct ce_error *err)
{
	return p->pid > 0 ? batch_answer(p, true, err) : 0;
}

int nft_batch_run_detached(const char *cmds, const char *what, struct ce_error *err)
{
	struct net_pending p = NET_PENDING_NONE;
	struct ce_error why = { 0 };

	if (batch_fork(cmds, what, false, &p, &why) < 0) {
		if (why.code == ENOMEM || why.code == EAGAIN)	/* no process for it: the slow way, still correct */
			return nft_batch_run(cmds, what, err);
		*err = why;
		return -1;
	}
	return batch_answer(&p, false, err);
}
