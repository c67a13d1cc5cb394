/* SPDX-License-Identifier: MIT */
/* user.c: the `user` key looked up in the container's own /etc/passwd and /etc/group (untrusted: read whole, bounded, parsed here); workdir. */
#include "runtime/inside/fixture.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/inside/resolve.h"
#include "util/cleanup.h"

#define ID_FILE_MAX (1u << 20)		/* bytes of /etc/passwd or /etc/group read */
#define FIELDS_MAX 8

/* The whole regular file PATH beneath root, NUL-terminated; NULL with *missing when it is not there. */
static char *read_small(int root, const char *path, bool *missing, struct ce_error *err)
{
	_cleanup_close_ int fd = resolve_open(root, path, O_RDONLY | O_NONBLOCK | O_NOCTTY, false, err);
	struct stat st;
	size_t len = 0;
	ssize_t n = 1;
	char *buf;

	*missing = fd < 0 && errno == ENOENT;
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > ID_FILE_MAX)
		return ce_error_set(err, 0, "/%s: not a regular file of at most %u bytes (refused)", path, ID_FILE_MAX), NULL;
	if (!(buf = malloc((size_t)st.st_size + 1)))
		return ce_error_set(err, ENOMEM, "/%s", path), NULL;
	while (len < (size_t)st.st_size && (n = read(fd, buf + len, (size_t)st.st_size - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	return buf;
}

/* One line of /etc/passwd (name:pw:uid:gid:gecos:home:shell) or /etc/group (name:pw:gid:members):
 * its fields, pointing into the file's text. */
struct entry {
	const char *name;
	long long id, gid;		/* passwd: uid, gid; group: gid, -1 */
	const char *home_or_members;	/* passwd: home; group: "a,b,c" */
};

/* A decimal id of the whole string, below (uid_t)-1; -1 otherwise. */
static long long id_of(const char *s)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9' || strlen(s) > 10)
		return -1;
	v = strtoull(s, &end, 10);
	return *end || v >= 0xffffffffULL ? -1 : (long long)v;
}

/* Split line into at most max ':'-separated fields (the line is cut); how many. */
static int split(char *line, char **f, int max)
{
	int n = 0;

	for (char *p = line; n < max; n++) {
		f[n] = p;
		if (!(p = strchr(p, ':')))
			return n + 1;
		*p++ = '\0';
	}
	return n;
}

/* The next well-formed entry of *text (passwd when is_passwd), advancing it; false at the end.
 * Lines that are not (a comment, a "+" NIS line, a bad id) are skipped. */
static bool next_entry(char **text, bool is_passwd, struct entry *e)
{
	char *f[7];

	while (*text && **text) {
		char *line = *text, *nl = strchr(line, '\n');
		int n;

		*text = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		n = split(line, f, 7);
		if (n < (is_passwd ? 6 : 3) || id_of(f[2]) < 0 || (is_passwd && id_of(f[3]) < 0))
			continue;
		*e = (struct entry){ .name = f[0], .id = id_of(f[2]), .gid = is_passwd ? id_of(f[3]) : -1,
				     .home_or_members = is_passwd ? f[5] : n > 3 ? f[3] : "" };
		return true;
	}
	return false;
}

/* By name (or by id when the name is an id): 1 found into *out, 0 not. */
static int find(char *text, bool is_passwd, const char *name, struct entry *out)
{
	long long id = id_of(name);
	struct entry e;

	while (next_entry(&text, is_passwd, &e))
		if (id >= 0 ? e.id == id : !strcmp(e.name, name)) {
			*out = e;
			return 1;
		}
	return 0;
}

/* Is name in the comma-separated list? */
static bool member(const char *list, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = list; *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] ? 1 : 0))
		if (strcspn(p, ",") == len && !strncmp(p, name, len))
			return true;
	return false;
}

/* The supplementary groups of name (its own gid first). */
static void groups_of(char *group_text, const char *name, struct run_user *u)
{
	struct entry e;

	u->groups[u->n_groups++] = u->gid;
	while (group_text && name && u->n_groups < RUN_USER_GROUPS_MAX && next_entry(&group_text, false, &e))
		if (e.id != u->gid && member(e.home_or_members, name))
			u->groups[u->n_groups++] = (gid_t)e.id;
}

/* The user part: a name that /etc/passwd must have, or an id it may have. */
static int lookup_user(char *passwd, const char *name, struct run_user *u, struct entry *pw, struct ce_error *err)
{
	bool found = passwd && find(passwd, true, name, pw);

	if (!found && id_of(name) < 0)
		return ce_error_set(err, 0, "user %s: no such user in the container's /etc/passwd", name);
	u->uid = (uid_t)(found ? pw->id : id_of(name));
	u->gid = (gid_t)(found ? pw->gid : 0);
	if (found && strlen(pw->home_or_members) < RUN_USER_HOME_MAX && *pw->home_or_members == '/')
		snprintf(u->home, sizeof(u->home), "HOME=%s", pw->home_or_members);
	return found ? 1 : 0;
}

static int lookup_group(char *group, const char *name, struct run_user *u, struct ce_error *err)
{
	struct entry gr;

	if (group && find(group, false, name, &gr))
		u->gid = (gid_t)gr.id;
	else if (id_of(name) >= 0)
		u->gid = (gid_t)id_of(name);
	else
		return ce_error_set(err, 0, "user: no group %s in the container's /etc/group", name);
	return 0;
}

/* Each file read twice (a search cuts its text): passwd for the user, group for the group and the members. */
static int resolve_user(int root, const char *user, const char *group, struct run_user *u, struct ce_error *err)
{
	_cleanup_free_ char *passwd = NULL, *groups = NULL, *groups2 = NULL;
	struct entry pw = { 0 };
	bool missing;
	int found;

	if (!(passwd = read_small(root, "etc/passwd", &missing, err)) && !missing)
		return -1;
	if ((found = lookup_user(passwd, user, u, &pw, err)) < 0)
		return -1;
	if (!(groups = read_small(root, "etc/group", &missing, err)) && !missing)
		return -1;
	if (groups && !(groups2 = strdup(groups)))
		return ce_error_set(err, ENOMEM, "/etc/group");
	if (group && lookup_group(groups, group, u, err) < 0)
		return -1;
	groups_of(groups2, found ? pw.name : NULL, u);
	return 0;
}

int fixture_user(int root, const struct container *c, struct run_user *u, struct ce_error *err)
{
	_cleanup_free_ char *spec = c->fx.user ? strdup(c->fx.user) : NULL;
	_cleanup_close_ int dir = -1;
	char *colon;

	*u = (struct run_user){ .workdir = c->fx.workdir };
	if (c->fx.workdir && (dir = resolve_dir(root, c->fx.workdir, true, err)) < 0)
		return ce_error_wrap(err, "workdir");
	if (!c->fx.user)
		return 0;
	if (!spec)
		return ce_error_set(err, ENOMEM, "user");
	if ((colon = strchr(spec, ':')))
		*colon++ = '\0';
	if (resolve_user(root, spec, colon, u, err) < 0)
		return ce_error_wrap(err, "user %s", c->fx.user);
	u->set = true;
	return 0;
}

int fixture_user_apply(const struct run_user *u, char *msg, size_t len)
{
	if (u->set && (setgroups(u->n_groups, u->groups) < 0 || setresgid(u->gid, u->gid, u->gid) < 0 ||
		       setresuid(u->uid, u->uid, u->uid) < 0)) {
		snprintf(msg, len, "run as uid %u gid %u: %s%s", (unsigned)u->uid, (unsigned)u->gid, strerror(errno),
			 errno == EINVAL ? " (an id the container's user namespace does not map)" : "");
		return -1;
	}
	if (u->workdir && chdir(u->workdir) < 0) {
		snprintf(msg, len, "workdir %s: %s", u->workdir, strerror(errno));
		return -1;
	}
	return 0;
}
