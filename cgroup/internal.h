/* SPDX-License-Identifier: MIT */
/* cgroup/internal.h: pieces shared by the v1 and v2 backends and the unit tests, not by callers. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "cgroup/cgroup.h"

/* Bounds of the polling loops (milliseconds); each step sleeps 1 ms. */
#define CG_KILL_TIMEOUT_MS 2000
#define CG_FREEZE_TIMEOUT_MS 500
#define CG_RMDIR_TIMEOUT_MS 500

enum cg_version { CG_V1 = 1, CG_V2 = 2 };
enum cg_limit {
	CG_LIMIT_CPU, CG_LIMIT_MEMORY, CG_LIMIT_PIDS, CG_LIMIT_CPU_WEIGHT, CG_LIMIT_CPUSET,
	CG_LIMIT_MEMORY_HIGH, CG_LIMIT_IO_WEIGHT,
};

/* --- limits.c: the one table mapping limits to files */

typedef int (*cg_format_fn)(const struct limits *lim, char *buf, size_t n);

struct cg_limit_file {
	enum cg_limit id;
	const char *controller;	/* v2 controller and v1 hierarchy name ("io" = v1 blkio) */
	const char *v1_file;	/* NULL: nothing to write on v1 */
	const char *v2_file;	/* NULL: nothing to write on v2 */
	cg_format_fn v1_format;
	cg_format_fn v2_format;
	bool optional;		/* written only when the file exists */
};

const struct cg_limit_file *cgroup_limit_table(size_t *n);
bool cgroup_limit_is_set(enum cg_limit id, const struct limits *lim);
const char *cgroup_limit_file_name(const struct cg_limit_file *f, enum cg_version v);
int cgroup_limit_format(const struct cg_limit_file *f, enum cg_version v,
			const struct limits *lim, char *buf, size_t n);

/* Directory of group `rel` for `controller`; fails naming the controller when
 * it is not available. */
typedef int (*cg_dir_fn)(const char *controller, const char *rel, char *buf, size_t n,
			 struct ce_error *err);

/* Walk the table in order and write every set limit through dir_of. */
int cgroup_limits_apply(enum cg_version v, const char *rel, const struct limits *lim,
			cg_dir_fn dir_of, struct ce_error *err);

/* --- common.c: files, directories, processes */

/* close() each of fds[0..n). */
void cg_close_all(const int *fds, size_t n);

/* One statistic: `file` holds a number, or `key value` lines when key != NULL. */
struct cg_stat_field {
	const char *controller;
	const char *file;
	const char *key;
	size_t offset;		/* into struct cgroup_stats */
	uint64_t divisor;	/* ns -> usec etc. */
	bool limit;		/* huge values (v1 "unlimited") become UINT64_MAX */
};

#define CG_STAT(field) offsetof(struct cgroup_stats, field)

/* Check rel and that the group exists (ENOENT "cgroup [ROOT/]REL does not exist"
 * otherwise), then fill st from the table; fields whose controller or file is
 * absent keep their defaults (0, memory_max UINT64_MAX). */
int cg_stats_read(const struct cg_stat_field *fields, size_t n, cg_dir_fn dir_of,
		  bool (*exists)(const char *rel), const char *root, const char *rel,
		  struct cgroup_stats *st, struct ce_error *err);

int cg_path(char *buf, size_t n, struct ce_error *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* rel must be relative, non-empty, without "." / ".." / empty components. */
int cg_check_rel(const char *rel, struct ce_error *err);
/* O_DIRECTORY fd of a group's directory (error "open DIR"). */
int cg_open_dir(const char *dir, struct ce_error *err);
bool cg_exists_at(int dfd, const char *file);
/* Write value to, or read the first line of, `file` in the open directory dfd
 * (as crun does: no path rebuilt per file, no race with a renamed directory);
 * dir names the directory in messages (NULL: file is a whole path). */
int cg_write_at(int dfd, const char *dir, const char *file, const char *value, struct ce_error *err);
/* Each of values[0..n) by its own write(2) to one open of `file` (a v1 devices.allow takes one rule a write). */
int cg_write_each_at(int dfd, const char *dir, const char *file, const char *const *values, size_t n,
		     struct ce_error *err);
int cg_read_at(int dfd, const char *dir, const char *file, char *buf, size_t n, struct ce_error *err);
int cg_write(const char *path, const char *value, struct ce_error *err);
/* First line of path, without the newline. */
int cg_read(const char *path, char *buf, size_t n, struct ce_error *err);
int cg_read_u64(const char *path, uint64_t *v, struct ce_error *err);
/* Value of the `key value` line: 0 found, 1 no such key, -1 error. */
int cg_read_key(const char *path, const char *key, uint64_t *v, struct ce_error *err);
bool cg_exists(const char *path);
bool cg_is_dir(const char *path);
bool cg_word_in(const char *list, const char *word);
/* Copy a captured error into err (which may be NULL); returns -1. */
int cg_error_copy(struct ce_error *err, const struct ce_error *from);

/* Called for every level of rel after it exists; parent is the level above. */
typedef int (*cg_level_fn)(const char *parent, const char *dir, struct ce_error *err);
int cg_mkdir_p(const char *base, const char *rel, cg_level_fn level, struct ce_error *err);
/* rmdir; ENOENT is fine, EBUSY is retried for CG_RMDIR_TIMEOUT_MS. */
int cg_rmdir(const char *dir, struct ce_error *err);

/* SIGKILL every pid in dir/cgroup.procs; *seen = how many were listed. A
 * missing group counts as empty. */
int cg_kill_procs(const char *dir, size_t *seen, struct ce_error *err);
/* The same for dir and every group below it. */
int cg_kill_tree(const char *dir, size_t *seen, struct ce_error *err);


/* --- systemd.c: a project's delegated scope on a systemd host */

#define CG_SYSTEMD_SLICE "cengine.slice"	/* every project's scope goes in this slice */
#define CG_SYSTEMD_LEAF ".cengine"		/* the scope's group for `up` and the log keeper (no container
						 * name starts with '.') */

/* Where group rel lives on cgroup v2. rel "cengine/<project>[/<rest>]" of a project whose scope exists
 * (<root>/cengine.slice/cengine-<project>.scope is a directory): that directory in base, <rest> in *rest
 * ("" for the project itself), returns 1. Any other rel: cgroup_root() in base, rel in *rest, returns 0. */
int cg_v2_split(const char *rel, char *base, size_t n, const char **rest, struct ce_error *err);

/* --- v1.c */

/* Any v1 controller this backend uses mounted under cgroup_root()? */
bool cgroup_v1_available(void);
/* Is this /proc/self/mountinfo line a v1 hierarchy mounted at or below root
 * that carries controller? Its (unescaped) mount point goes to mnt. */
bool cgroup_v1_mount_has(const char *line, const char *root, const char *controller,
			 char *mnt, size_t n);
/* Directory of rel in the hierarchy holding controller (see cg_dir_fn). */
int cgroup_v1_dir(const char *controller, const char *rel, char *buf, size_t n,
		  struct ce_error *err);

/* --- devices_v1.c: the device allow-list as devices.deny / devices.allow lines */

/* "c 1:3 rwm", "c 136:* rwm", "a *:* rwm"; -1 when buf is too small or the rule is not valid. */
int cgroup_device_rule_format(const struct device_rule *r, char *buf, size_t n);
/* devices.deny "a", then devices.allow for each rule, in the group's devices hierarchy. */
int cgroup_v1_devices(const char *rel, const struct device_rule *rules, size_t n, struct ce_error *err);

/* --- device_bpf.c: the device allow-list as a BPF_PROG_TYPE_CGROUP_DEVICE program */

struct bpf_insn;
/* Largest program: 6 instructions of header, at most 8 per rule, 2 for the final deny. */
#define CG_DEVICE_BPF_MAX (8 + 8 * DEVICES_MAX)
/* Assemble the program for rules into insns[max]: how many instructions, or 0 when they do not fit or
 * a rule is not valid. */
size_t cgroup_device_bpf_build(const struct device_rule *rules, size_t n, struct bpf_insn *insns, size_t max);
/* Load it and attach it (BPF_F_ALLOW_MULTI, as systemd and crun do) to the cgroup2 directory dfd,
 * named dir in messages. */
int cgroup_device_bpf_attach(int dfd, const char *dir, const struct device_rule *rules, size_t n,
			     struct ce_error *err);
