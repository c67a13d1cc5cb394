/* SPDX-License-Identifier: MIT */
/* test_cgroup.c: cgroup limits table, detection, fixture trees; as root, the real hierarchies. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/bpf.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cgroup/cgroup.h"
#include "cgroup/internal.h"

#define MB (UINT64_C(1) << 20)
#define UNIFIED "/sys/fs/cgroup/unified"

static const char *const v1_all[] = { "cpu", "cpuacct", "memory", "pids", "freezer", "cpuset" };

/* ---------------------------------------------------------------- helpers */

static void pathf(char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void pathf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	assert_true(len > 0 && (size_t)len < n);
}

static void put_file(const char *dir, const char *name, const char *value)
{
	char path[PATH_MAX];
	FILE *f;

	pathf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(value, f);
	assert_int_equal(fclose(f), 0);
}

static void get_file(const char *dir, const char *name, char *buf, size_t n)
{
	char path[PATH_MAX];
	struct ce_error err = { 0 };

	pathf(path, sizeof(path), "%s/%s", dir, name);
	if (cg_read(path, buf, n, &err) < 0)
		fail_msg("%s", err.msg);
}

/* dir/name holds want (its last newline cut). */
static void expect_file(const char *dir, const char *name, const char *want)
{
	char buf[256];

	get_file(dir, name, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void mkdirs(const char *base, const char *rel)
{
	struct ce_error err = { 0 };

	if (cg_mkdir_p(base, rel, NULL, &err) < 0)
		fail_msg("%s", err.msg);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void rm_rf(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static bool procs_has(const char *dir, pid_t pid)
{
	char path[PATH_MAX];
	FILE *f;
	int p;
	bool found = false;

	pathf(path, sizeof(path), "%s/cgroup.procs", dir);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && fscanf(f, "%d", &p) == 1)
		found = p == pid;
	fclose(f);
	return found;
}

static void child_wait_forever(void)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (;;)
		pause();
}

static pid_t spawn_sleeper(void)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0)
		child_wait_forever();
	return pid;
}

static void reap(pid_t *pid)
{
	if (*pid > 0) {
		kill(*pid, SIGKILL);
		waitpid(*pid, NULL, 0);
		*pid = 0;
	}
}

static void assert_killed(pid_t *pid)
{
	int status = 0;

	assert_int_equal(waitpid(*pid, &status, 0), *pid);
	*pid = 0;
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
}

static void assert_msg_has(const struct ce_error *err, const char *what)
{
	if (!strstr(err->msg, what))
		fail_msg("error '%s' does not mention '%s'", err->msg, what);
}

static bool is_fs(const char *path, long magic)
{
	struct statfs sfs;

	return statfs(path, &sfs) == 0 && sfs.f_type == magic;
}

static void require_root(void)
{
	if (geteuid() != 0)
		skip();
}

/* -------------------------------------------------------- pure: conversion */

static void check_quota(double cpu, uint64_t want)
{
	uint64_t quota = 0, period = 0;

	cgroup_cpu_to_quota(cpu, &quota, &period);
	assert_int_equal(period, 100000);
	assert_int_equal(quota, want);
}

static void test_cpu_to_quota(void **state)
{
	check_quota(0.5, 50000);
	check_quota(0.25, 25000);
	check_quota(1, 100000);
	check_quota(2, 200000);
	check_quota(0.001, 1000);	/* 100 us would be rejected: clamp */
	check_quota(0.0123456, 1235);	/* rounded, not truncated */
}

/* ----------------------------------------------------------- pure: table */

static const struct cg_limit_file *find_row(enum cg_version v, const char *file, size_t *index)
{
	size_t n;
	const struct cg_limit_file *t = cgroup_limit_table(&n);
	const char *name;

	for (size_t i = index ? *index : 0; i < n; i++) {
		name = cgroup_limit_file_name(&t[i], v);
		if (name && !strcmp(name, file)) {
			if (index)
				*index = i;
			return &t[i];
		}
	}
	return NULL;
}

static void assert_format(enum cg_version v, const char *file, const struct limits *lim,
			  const char *want)
{
	const struct cg_limit_file *f = find_row(v, file, NULL);
	char buf[64];

	assert_non_null(f);
	assert_int_equal(cgroup_limit_format(f, v, lim, buf, sizeof(buf)), 0);
	assert_string_equal(buf, want);
}

/* v's row for file: there, for limit id, in controller. */
static const struct cg_limit_file *expect_row(enum cg_version v, const char *file, enum cg_limit id,
					      const char *controller)
{
	const struct cg_limit_file *f = find_row(v, file, NULL);

	assert_non_null(f);
	assert_int_equal(f->id, id);
	assert_string_equal(f->controller, controller);
	return f;
}

static void test_table_cpu(void **state)
{
	struct limits lim = { .cpu = 0.5 };
	const struct cg_limit_file *f = expect_row(CG_V2, "cpu.max", CG_LIMIT_CPU, "cpu");

	assert_string_equal(f->v1_file, "cpu.cfs_quota_us");
	assert_false(f->optional);
	assert_format(CG_V2, "cpu.max", &lim, "50000 100000");
	assert_format(CG_V1, "cpu.cfs_quota_us", &lim, "50000");
	assert_format(CG_V1, "cpu.cfs_period_us", &lim, "100000");
}

static void test_table_memory(void **state)
{
	struct limits lim = { .memory = 50 * MB };
	size_t first = 0, second;
	const struct cg_limit_file *lift = find_row(CG_V1, "memory.memsw.limit_in_bytes", &first);
	const struct cg_limit_file *pin, *limit;
	char buf[64];

	/* v1: memsw lifted to -1, limit moved, memsw pinned to the limit. */
	assert_non_null(lift);
	second = first + 1;
	pin = find_row(CG_V1, "memory.memsw.limit_in_bytes", &second);
	limit = find_row(CG_V1, "memory.limit_in_bytes", NULL);
	assert_non_null(pin);
	assert_non_null(limit);
	assert_true(lift < limit && limit < pin);
	assert_true(lift->optional && pin->optional && !limit->optional);
	assert_int_equal(cgroup_limit_format(lift, CG_V1, &lim, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "-1");
	assert_int_equal(cgroup_limit_format(pin, CG_V1, &lim, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "52428800");
	assert_string_equal(limit->v2_file, "memory.max");
	assert_format(CG_V2, "memory.max", &lim, "52428800");
	assert_format(CG_V2, "memory.swap.max", &lim, "0");
	assert_true(find_row(CG_V2, "memory.swap.max", NULL)->optional);
}

static void test_table_pids(void **state)
{
	struct limits lim = { .pids = 64 };
	const struct cg_limit_file *f = expect_row(CG_V1, "pids.max", CG_LIMIT_PIDS, "pids");

	assert_string_equal(f->v2_file, "pids.max");
	assert_format(CG_V1, "pids.max", &lim, "64");
	assert_format(CG_V2, "pids.max", &lim, "64");
	assert_null(find_row(CG_V1, "no.such.file", NULL));
}

static void test_weight_to_shares(void **state)
{
	assert_int_equal(cgroup_weight_to_shares(100), 1024);	/* both defaults */
	assert_int_equal(cgroup_weight_to_shares(200), 2048);
	assert_int_equal(cgroup_weight_to_shares(50), 512);
	assert_int_equal(cgroup_weight_to_shares(1), 10);
	assert_int_equal(cgroup_weight_to_shares(10000), 102400);
	assert_int_equal(cgroup_weight_to_shares(0), 2);	/* clamped to the kernel's minimum */
	assert_int_equal(cgroup_weight_to_shares(100000), 262144);
}

static void test_table_extra(void **state)
{
	struct limits lim = { .cpu_weight = 300, .cpuset = "0-1,3", .memory_high = 40 * MB,
			      .io_weight = 5000, .memory = 50 * MB, .memory_swap = -1 };
	size_t first = 0, second;

	assert_format(CG_V1, "cpu.shares", &lim, "3072");
	assert_format(CG_V2, "cpu.weight", &lim, "300");
	assert_format(CG_V1, "cpuset.cpus", &lim, "0-1,3");
	assert_format(CG_V2, "cpuset.cpus", &lim, "0-1,3");
	assert_string_equal(find_row(CG_V1, "cpuset.cpus", NULL)->controller, "cpuset");
	assert_format(CG_V1, "memory.soft_limit_in_bytes", &lim, "41943040");
	assert_format(CG_V2, "memory.high", &lim, "41943040");
	assert_format(CG_V1, "blkio.bfq.weight", &lim, "1000");	/* BFQ's maximum */
	assert_format(CG_V2, "io.weight", &lim, "default 5000");
	assert_true(find_row(CG_V2, "io.weight", NULL)->optional);
	assert_false(find_row(CG_V2, "cpu.weight", NULL)->optional);
	/* unset swap = none; memory_swap = 10M: memsw = memory + 10M */
	assert_format(CG_V2, "memory.swap.max", &lim, "0");
	lim.memory_swap = 10 * MB;
	assert_format(CG_V2, "memory.swap.max", &lim, "10485760");
	assert_non_null(find_row(CG_V1, "memory.memsw.limit_in_bytes", &first));
	second = first + 1;
	assert_non_null(find_row(CG_V1, "memory.memsw.limit_in_bytes", &second));
	{
		const struct cg_limit_file *pin = find_row(CG_V1, "memory.memsw.limit_in_bytes", &second);
		char buf[64];

		assert_int_equal(cgroup_limit_format(pin, CG_V1, &lim, buf, sizeof(buf)), 0);
		assert_string_equal(buf, "62914560");
	}
}

static void test_table_is_set(void **state)
{
	struct limits none = { 0 }, all = { .cpu = 0.1, .memory = 1, .pids = 1 };

	assert_false(cgroup_limit_is_set(CG_LIMIT_CPU, &none));
	assert_false(cgroup_limit_is_set(CG_LIMIT_MEMORY, &none));
	assert_false(cgroup_limit_is_set(CG_LIMIT_PIDS, &none));
	assert_true(cgroup_limit_is_set(CG_LIMIT_CPU, &all));
	assert_true(cgroup_limit_is_set(CG_LIMIT_MEMORY, &all));
	assert_true(cgroup_limit_is_set(CG_LIMIT_PIDS, &all));
	assert_false(cgroup_limit_is_set(CG_LIMIT_CPU_WEIGHT, &none));
	assert_false(cgroup_limit_is_set(CG_LIMIT_CPUSET, &none));
	assert_false(cgroup_limit_is_set(CG_LIMIT_MEMORY_HIGH, &none));
	assert_false(cgroup_limit_is_set(CG_LIMIT_IO_WEIGHT, &none));
	all.cpu_weight = 1, all.memory_high = 1, all.io_weight = 1;
	strcpy(all.cpuset, "0");
	assert_true(cgroup_limit_is_set(CG_LIMIT_CPU_WEIGHT, &all));
	assert_true(cgroup_limit_is_set(CG_LIMIT_CPUSET, &all));
	assert_true(cgroup_limit_is_set(CG_LIMIT_MEMORY_HIGH, &all));
	assert_true(cgroup_limit_is_set(CG_LIMIT_IO_WEIGHT, &all));
}

static void test_rel_checks(void **state)
{
	struct ce_error err = { 0 };
	const char *bad[] = { "", "/abs", "a/../b", "..", "a//b", "./a" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(cg_check_rel(bad[i], &err), -1);
		assert_int_equal(err.code, EINVAL);
		assert_int_equal(cgroup_v2_ops.create(bad[i], &err), -1);
		assert_int_equal(cgroup_v1_ops.destroy(bad[i], &err), -1);
		assert_false(cgroup_v1_ops.exists(bad[i]));
	}
	assert_int_equal(cg_check_rel("cengine/pair/c1", &err), 0);
	assert_int_equal(cg_check_rel("a/", &err), 0);
}

static void test_word_in(void **state)
{
	assert_true(cg_word_in("cpuset cpu io memory", "cpu"));
	assert_true(cg_word_in("cpuset cpu", "cpu"));
	assert_false(cg_word_in("cpuset cpuacct", "cpu"));
	assert_false(cg_word_in("", "pids"));
}

static void assert_mount(const char *line, const char *ctrl, const char *want)
{
	char mnt[PATH_MAX] = "";
	bool has = cgroup_v1_mount_has(line, "/sys/fs/cgroup", ctrl, mnt, sizeof(mnt));

	if (!want) {
		assert_false(has);
		return;
	}
	assert_true(has);
	assert_string_equal(mnt, want);
}

static void test_v1_mountinfo(void **state)
{
	const char *comount = "36 25 0:31 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:9 - "
			      "cgroup cgroup rw,cpu,cpuacct";
	const char *spaced = "40 25 0:35 / /sys/fs/cgroup/my\\040mem rw - cgroup none rw,memory";
	const char *systemd = "41 25 0:36 / /sys/fs/cgroup/systemd rw - cgroup cgroup "
			      "rw,xattr,name=systemd";
	const char *unified = "42 25 0:37 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw";
	const char *elsewhere = "43 25 0:38 / /mnt/cgroup/pids rw - cgroup cgroup rw,pids";
	const char *prefix = "44 25 0:39 / /sys/fs/cgroupx/pids rw - cgroup cgroup rw,pids";
	const char *optional = "45 25 0:40 / /sys/fs/cgroup/freezer rw shared:5 master:1 - "
			       "cgroup cgroup rw,freezer";

	assert_mount(comount, "cpu", "/sys/fs/cgroup/cpu,cpuacct");
	assert_mount(comount, "cpuacct", "/sys/fs/cgroup/cpu,cpuacct");
	assert_mount(comount, "cpuset", NULL);
	assert_mount(comount, "memory", NULL);
	assert_mount(spaced, "memory", "/sys/fs/cgroup/my mem");
	assert_mount(systemd, "systemd", NULL);
	assert_mount(systemd, "name=systemd", "/sys/fs/cgroup/systemd");	/* a named hierarchy is one too */
	assert_mount(unified, "cpu", NULL);
	assert_mount(elsewhere, "pids", NULL);
	assert_mount(prefix, "pids", NULL);
	assert_mount(optional, "freezer", "/sys/fs/cgroup/freezer");
	assert_mount("garbage", "cpu", NULL);
}

/* ------------------------------------------------------ pure: device rules */

static void test_device_format(void **state)
{
	const struct device_rule null = { 'c', 1, 3, DEVICE_RWM }, pts = { 'c', 136, DEVICE_ANY, DEVICE_RWM },
				 all = { 'a', DEVICE_ANY, DEVICE_ANY, DEVICE_READ | DEVICE_MKNOD },
				 bad_type = { 'x', 1, 3, DEVICE_RWM }, bad_access = { 'c', 1, 3, 0 },
				 bad_minor = { 'c', 1, 1 << 20, DEVICE_RWM };
	char buf[64];

	assert_int_equal(cgroup_device_rule_format(&null, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "c 1:3 rwm");
	assert_int_equal(cgroup_device_rule_format(&pts, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "c 136:* rwm");
	assert_int_equal(cgroup_device_rule_format(&all, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "a *:* rm");
	assert_int_equal(cgroup_device_rule_format(&null, buf, 5), -1);
	assert_int_equal(cgroup_device_rule_format(&bad_type, buf, sizeof(buf)), -1);
	assert_int_equal(cgroup_device_rule_format(&bad_access, buf, sizeof(buf)), -1);
	assert_int_equal(cgroup_device_rule_format(&bad_minor, buf, sizeof(buf)), -1);
}

/* The default list: null first, the pty slaves (any minor) last, nothing but character devices. */
static void test_device_defaults(void **state)
{
	struct device_rule rules[DEVICES_MAX];
	int n = devices_rules(NULL, rules, DEVICES_MAX);

	assert_int_equal(n, 8);
	assert_int_equal(devices_rules(NULL, rules, 2), -1);
	assert_true(rules[0].major == 1 && rules[0].minor == 3);
	assert_true(rules[n - 1].major == 136 && rules[n - 1].minor == DEVICE_ANY);
	for (int i = 0; i < n; i++) {
		assert_true(devices_rule_valid(&rules[i]));
		assert_int_equal(rules[i].type, 'c');
	}
}

/* Every jump of the program lands inside it; it ends in "return 0"; one rule with every test is 8
 * instructions, one with none 2; too small a buffer or a bad rule gives 0. */
static void test_device_bpf_build(void **state)
{
	struct device_rule rules[DEVICES_MAX], full = { 'b', 8, 0, DEVICE_READ }, any = { 'a', DEVICE_ANY, DEVICE_ANY, DEVICE_RWM },
			   bad = { 'c', 1, 3, 0 };
	struct bpf_insn insns[CG_DEVICE_BPF_MAX];
	int n = devices_rules(NULL, rules, DEVICES_MAX);
	size_t count, empty = cgroup_device_bpf_build(NULL, 0, insns, CG_DEVICE_BPF_MAX);

	assert_int_equal(empty, 8);
	assert_int_equal(cgroup_device_bpf_build(&full, 1, insns, CG_DEVICE_BPF_MAX), empty + 8);
	assert_int_equal(cgroup_device_bpf_build(&any, 1, insns, CG_DEVICE_BPF_MAX), empty + 2);
	assert_int_equal(cgroup_device_bpf_build(&bad, 1, insns, CG_DEVICE_BPF_MAX), 0);
	assert_int_equal(cgroup_device_bpf_build(rules, (size_t)n, insns, 10), 0);
	count = cgroup_device_bpf_build(rules, (size_t)n, insns, CG_DEVICE_BPF_MAX);
	assert_true(count > empty);
	assert_int_equal(insns[0].code, BPF_LDX | BPF_MEM | BPF_W);
	assert_int_equal(insns[count - 2].code, BPF_ALU64 | BPF_MOV | BPF_K);
	assert_int_equal(insns[count - 2].imm, 0);
	assert_int_equal(insns[count - 1].code, BPF_JMP | BPF_EXIT);
	for (size_t i = 0; i < count; i++)
		if (BPF_CLASS(insns[i].code) == BPF_JMP && BPF_OP(insns[i].code) == BPF_JNE)
			assert_true(insns[i].off > 0 && i + 1 + (size_t)insns[i].off < count);
}

/* --------------------------------------------------- fixtures in a tmpdir */

struct fake {
	char root[64];
};

static int fake_setup(void **state)
{
	static struct fake fx;

	snprintf(fx.root, sizeof(fx.root), "/tmp/cengine-cgtest-XXXXXX");
	if (!mkdtemp(fx.root))
		return -1;
	setenv("CENGINE_CGROUP_ROOT", fx.root, 1);
	unsetenv("CENGINE_CGROUP");
	*state = &fx;
	return 0;
}

static int fake_teardown(void **state)
{
	struct fake *fx = *state;

	unsetenv("CENGINE_CGROUP_ROOT");
	rm_rf(fx->root);
	return 0;
}

static void test_root_override(void **state)
{
	struct fake *fx = *state;

	assert_string_equal(cgroup_root(), fx->root);
	unsetenv("CENGINE_CGROUP_ROOT");
	assert_string_equal(cgroup_root(), "/sys/fs/cgroup");
	setenv("CENGINE_CGROUP_ROOT", "", 1);
	assert_string_equal(cgroup_root(), "/sys/fs/cgroup");
}

static void test_detect_forced(void **state)
{
	struct ce_error err = { 0 };

	setenv("CENGINE_CGROUP", "v2", 1);
	assert_ptr_equal(cgroup_detect(&err), &cgroup_v2_ops);
	setenv("CENGINE_CGROUP", "v1", 1);
	assert_ptr_equal(cgroup_detect(&err), &cgroup_v1_ops);
	setenv("CENGINE_CGROUP", "v3", 1);
	assert_null(cgroup_detect(&err));
	assert_int_equal(err.code, EINVAL);
	assert_msg_has(&err, "CENGINE_CGROUP=v3");
	unsetenv("CENGINE_CGROUP");
}

static void test_detect_fixture(void **state)
{
	struct fake *fx = *state;
	struct ce_error err = { 0 };

	assert_null(cgroup_detect(&err));
	assert_int_equal(err.code, ENOENT);
	assert_msg_has(&err, "no usable cgroup hierarchy");
	mkdirs(fx->root, "memory");
	assert_ptr_equal(cgroup_detect(&err), &cgroup_v1_ops);
}

/* One file of a fake group: what it holds before apply, and after. */
struct cg_file {
	const char *name, *before, *after;
};

/* Each file of f written with its before into dir, lim applied to rel by ops, each file then holds its after. */
static void apply_files(const struct cgroup_ops *ops, const char *rel, const struct limits *lim, const char *dir,
			const struct cg_file *f, size_t n)
{
	struct ce_error err = { 0 };

	for (size_t i = 0; i < n; i++)
		put_file(dir, f[i].name, f[i].before);
	if (ops->apply(rel, lim, &err) < 0)
		fail_msg("%s", err.msg);
	for (size_t i = 0; i < n; i++)
		expect_file(dir, f[i].name, f[i].after);
}

static void test_v2_apply_fixture(void **state)
{
	static const struct cg_file base[] = {
		{ "cpu.max", "max 100000\n", "50000 100000" }, { "memory.max", "max\n", "52428800" },
		{ "pids.max", "max\n", "64" },
	}, swap[] = { { "memory.swap.max", "max\n", "0" } }, extra[] = {
		{ "cpu.weight", "100\n", "50" }, { "cpuset.cpus", "\n", "1" }, { "memory.high", "max\n", "8388608" },
	}, io[] = { { "io.weight", "default 100\n", "default 10" } };
	struct fake *fx = *state;
	struct limits lim = { .cpu = 0.5, .memory = 50 * MB, .pids = 64 };
	char dir[PATH_MAX];

	pathf(dir, sizeof(dir), "%s/g/c", fx->root);
	mkdirs(fx->root, "g/c");
	/* no memory.swap.max: optional, skipped; then with it: swap off */
	apply_files(&cgroup_v2_ops, "g/c", &lim, dir, base, 3);
	apply_files(&cgroup_v2_ops, "g/c", &lim, dir, swap, 1);
	/* The extra limits; io.weight is absent (no io.cost/BFQ): skipped; then present. */
	lim = (struct limits){ .cpu_weight = 50, .cpuset = "1", .memory_high = 8 * MB, .io_weight = 10 };
	apply_files(&cgroup_v2_ops, "g/c", &lim, dir, extra, 3);
	apply_files(&cgroup_v2_ops, "g/c", &lim, dir, io, 1);
}

static void test_v2_apply_missing_controller(void **state)
{
	struct fake *fx = *state;
	struct limits lim = { .memory = 50 * MB };
	struct limits none = { 0 };
	struct ce_error err = { 0 };
	char dir[PATH_MAX];

	pathf(dir, sizeof(dir), "%s/g", fx->root);
	mkdirs(fx->root, "g");
	put_file(dir, "cpu.max", "max 100000\n");
	assert_int_equal(cgroup_v2_ops.apply("g", &lim, &err), -1);
	assert_int_equal(err.code, ENOTSUP);
	assert_msg_has(&err, "'memory'");
	assert_int_equal(cgroup_v2_ops.apply("g", &none, &err), 0);
	assert_int_equal(cgroup_v2_ops.apply("g", NULL, &err), 0);
	assert_int_equal(cgroup_v2_ops.apply("nope", &lim, &err), -1);
	assert_int_equal(err.code, ENOENT);
}

/* create() enables the wanted controllers on every ancestor, not on the leaf. */
static void test_v2_create_fixture(void **state)
{
	struct fake *fx = *state;
	struct ce_error err = { 0 };
	char dir[PATH_MAX];

	put_file(fx->root, "cgroup.controllers", "cpuset cpu io memory pids\n");
	put_file(fx->root, "cgroup.subtree_control", "\n");
	pathf(dir, sizeof(dir), "%s/a", fx->root);
	mkdirs(fx->root, "a");
	put_file(dir, "cgroup.controllers", "cpu memory pids\n");
	put_file(dir, "cgroup.subtree_control", "memory pids\n");
	if (cgroup_v2_ops.create("a/b/c", &err) < 0)
		fail_msg("%s", err.msg);
	expect_file(fx->root, "cgroup.subtree_control", "+cpuset +cpu +io +memory +pids");
	expect_file(dir, "cgroup.subtree_control", "+cpu");
	pathf(dir, sizeof(dir), "%s/a/b/c", fx->root);
	assert_true(cg_is_dir(dir));
	assert_true(cgroup_v2_ops.exists("a/b/c"));
	assert_int_equal(cgroup_v2_ops.destroy("a/b/c", &err), 0);
	assert_false(cgroup_v2_ops.exists("a/b/c"));
	assert_true(cgroup_v2_ops.exists("a/b"));
}

/* A project whose systemd scope exists has its groups in the scope, the scope's own group left to systemd. */
static void test_v2_scope_fixture(void **state)
{
	struct fake *fx = *state;
	struct ce_error err = { 0 };
	char scope[PATH_MAX], buf[128];

	cgroup_systemd_unit("pair", buf, sizeof(buf));
	assert_string_equal(buf, "cengine-pair.scope");
	assert_string_equal(cgroup_layout(), "none");	/* the fixture has no hierarchy yet */
	put_file(fx->root, "cgroup.controllers", "cpu memory pids\n");
	setenv("CENGINE_CGROUP", "v2", 1);
	assert_string_equal(cgroup_layout(), "cgroup v2");	/* CENGINE_CGROUP_ROOT: never a systemd scope */
	unsetenv("CENGINE_CGROUP");
	assert_false(cgroup_systemd_delegated());	/* CENGINE_CGROUP_ROOT is set */
	put_file(fx->root, "cgroup.controllers", "cpu memory pids\n");
	put_file(fx->root, "cgroup.subtree_control", "\n");
	mkdirs(fx->root, "cengine.slice/cengine-pair.scope/.cengine");
	pathf(scope, sizeof(scope), "%s/cengine.slice/cengine-pair.scope", fx->root);
	put_file(scope, "cgroup.controllers", "cpu memory pids\n");
	put_file(scope, "cgroup.subtree_control", "\n");
	if (cgroup_v2_ops.create("cengine/pair", &err) < 0 || cgroup_v2_ops.create("cengine/pair/c1", &err) < 0)
		fail_msg("%s", err.msg);
	get_file(scope, "cgroup.subtree_control", buf, sizeof(buf));
	assert_string_equal(buf, "+cpu +memory +pids");
	get_file(fx->root, "cgroup.subtree_control", buf, sizeof(buf));
	assert_string_equal(buf, "");	/* above the scope: systemd's, untouched */
	pathf(buf, sizeof(buf), "%s/c1", scope);
	assert_true(cg_is_dir(buf));
	assert_true(cgroup_v2_ops.exists("cengine/pair/c1"));
	assert_true(cgroup_v2_ops.exists("cengine/pair"));
	assert_false(cgroup_v2_ops.exists("cengine/pair2"));	/* another project: no scope, no group */
	if (cgroup_v2_ops.create("cengine/pair2/c1", &err) < 0)
		fail_msg("%s", err.msg);
	pathf(buf, sizeof(buf), "%s/cengine/pair2/c1", fx->root);
	assert_true(cg_is_dir(buf));
	assert_int_equal(cgroup_v2_ops.destroy("cengine/pair/c1", &err), 0);
	assert_false(cgroup_v2_ops.exists("cengine/pair/c1"));
	assert_int_equal(cgroup_v2_ops.destroy("cengine/pair", &err), 0);
	pathf(buf, sizeof(buf), "%s/.cengine", scope);
	assert_false(cg_is_dir(buf));	/* the leaf went */
	assert_true(cg_is_dir(scope));	/* the scope's group is systemd's to remove */
}

static void fake_v1_group(const char *root, const char *ctrl, const char *const *files)
{
	char dir[PATH_MAX];

	pathf(dir, sizeof(dir), "%s/%s/g", root, ctrl);
	mkdirs(root, ctrl);
	assert_true(mkdir(dir, 0755) == 0 || errno == EEXIST);
	for (; *files; files++)
		put_file(dir, *files, "0\n");
}

/* One file of group g of a fake v1 hierarchy: its controller, its name, what it holds after apply
 * ("0" before; NULL: not looked at). */
struct v1_file {
	const char *ctrl, *name, *after;
};

/* The files made, lim applied to g, each then holds its after. */
static void apply_v1(const char *root, const struct limits *lim, const struct v1_file *f, size_t n)
{
	struct ce_error err = { 0 };
	char dir[PATH_MAX];

	for (size_t i = 0; i < n; i++)
		fake_v1_group(root, f[i].ctrl, (const char *const[]){ f[i].name, NULL });
	if (cgroup_v1_ops.apply("g", lim, &err) < 0)
		fail_msg("%s", err.msg);
	for (size_t i = 0; i < n; i++) {
		pathf(dir, sizeof(dir), "%s/%s/g", root, f[i].ctrl);
		if (f[i].after)
			expect_file(dir, f[i].name, f[i].after);
	}
}

static void test_v1_apply_fixture(void **state)
{
	static const struct v1_file files[] = {
		{ "cpu", "cpu.cfs_quota_us", "25000" }, { "cpu", "cpu.cfs_period_us", "100000" },
		{ "memory", "memory.limit_in_bytes", "52428800" }, { "memory", "memory.memsw.limit_in_bytes", "52428800" },
		{ "pids", "pids.max", "64" },
	};
	struct fake *fx = *state;
	struct limits lim = { .cpu = 0.25, .memory = 50 * MB, .pids = 64 };

	apply_v1(fx->root, &lim, files, sizeof(files) / sizeof(*files));
}

static void test_v1_apply_extra_fixture(void **state)
{
	static const struct v1_file files[] = {
		{ "cpu", "cpu.shares", "512" }, { "cpuset", "cpuset.cpus", "0" }, { "memory", "memory.limit_in_bytes", NULL },
		{ "memory", "memory.memsw.limit_in_bytes", "73400320" },	/* 50M + 20M of swap */
		{ "memory", "memory.soft_limit_in_bytes", "31457280" }, { "blkio", "blkio.bfq.weight", "300" },
	};
	struct fake *fx = *state;
	struct limits lim = { .cpu_weight = 50, .cpuset = "0", .memory = 50 * MB,
			      .memory_high = 30 * MB, .memory_swap = 20 * MB, .io_weight = 300 };

	apply_v1(fx->root, &lim, files, sizeof(files) / sizeof(*files));
}

static void test_v1_apply_missing_controller(void **state)
{
	struct fake *fx = *state;
	const char *mem[] = { "memory.limit_in_bytes", NULL };
	struct limits lim = { .memory = MB, .pids = 10 };
	struct ce_error err = { 0 };
	char dir[PATH_MAX];

	fake_v1_group(fx->root, "memory", mem);
	assert_int_equal(cgroup_v1_ops.apply("g", &lim, &err), -1);
	assert_int_equal(err.code, ENOTSUP);
	assert_msg_has(&err, "'pids'");
	assert_msg_has(&err, "not mounted");
	/* memory (no memsw file: optional) was written before pids failed */
	pathf(dir, sizeof(dir), "%s/memory/g", fx->root);
	expect_file(dir, "memory.limit_in_bytes", "1048576");
}

/* devices.deny "a" first, then the allow lines (a plain file keeps the last). */
static void test_v1_devices_fixture(void **state)
{
	struct fake *fx = *state;
	static const char *const files[] = { "devices.deny", "devices.allow", NULL };
	struct device_rule rules[DEVICES_MAX];
	int n = devices_rules(NULL, rules, DEVICES_MAX);
	struct ce_error err = { 0 };
	char dir[PATH_MAX];

	fake_v1_group(fx->root, "devices", files);
	if (cgroup_v1_ops.devices("g", rules, (size_t)n, &err) < 0)
		fail_msg("%s", err.msg);
	pathf(dir, sizeof(dir), "%s/devices/g", fx->root);
	expect_file(dir, "devices.deny", "a");
	/* one open of devices.allow, one write per rule (the kernel takes a rule a write): the fake file,
	 * a regular one, holds them end to end, in order */
	expect_file(dir, "devices.allow", "c 1:3 rwmc 1:5 rwmc 1:7 rwmc 1:8 rwmc 1:9 rwmc 5:0 rwmc 5:2 rwmc 136:* rwm");
	assert_int_equal(cgroup_v1_ops.devices("nope", rules, (size_t)n, &err), -1);
	rules[0].type = 'x';
	assert_int_equal(cgroup_v1_ops.devices("g", rules, (size_t)n, &err), -1);
	assert_int_equal(err.code, EINVAL);
}

static void test_v1_fixture_lifecycle(void **state)
{
	struct fake *fx = *state;
	struct ce_error err = { 0 };
	struct cgroup_stats st;
	char dir[PATH_MAX];

	mkdirs(fx->root, "memory");
	mkdirs(fx->root, "pids");
	if (cgroup_v1_ops.create("a/b", &err) < 0)
		fail_msg("%s", err.msg);
	assert_true(cgroup_v1_ops.exists("a/b"));
	pathf(dir, sizeof(dir), "%s/pids/a/b", fx->root);
	assert_true(cg_is_dir(dir));
	put_file(dir, "pids.current", "3\n");
	pathf(dir, sizeof(dir), "%s/memory/a/b", fx->root);
	put_file(dir, "memory.limit_in_bytes", "9223372036854771712\n");
	put_file(dir, "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
	if (cgroup_v1_ops.stats("a/b", &st, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(st.pids_current, 3);
	assert_true(st.memory_max == UINT64_MAX);
	assert_int_equal(st.oom_kills, 2);
	assert_int_equal(st.cpu_usage_usec, 0);
	assert_int_equal(cgroup_v1_ops.open_fd("a/b", &err), -1);
	assert_int_equal(err.code, ENOTSUP);
	/* kill_all on a group without processes (no cgroup.procs file) */
	assert_int_equal(cgroup_v1_ops.kill_all("a/b", &err), 0);
	rm_rf(dir);
	pathf(dir, sizeof(dir), "%s/pids/a/b", fx->root);
	rm_rf(dir);
	assert_false(cgroup_v1_ops.exists("a/b"));
	assert_int_equal(cgroup_v1_ops.destroy("a/b", &err), 0);
	assert_int_equal(cgroup_v1_ops.stats("a/b", &st, &err), -1);
	assert_int_equal(err.code, ENOENT);
}

/* create_leaf: a container's group only in the hierarchies it needs one of its own in (memory), or
 * where a limit is written (blkio with io_weight); elsewhere (blkio without it, a named hierarchy)
 * it joins the parent's, whose `tasks` open_self opens. */
static void test_v1_fixture_leaf(void **state)
{
	struct fake *fx = *state;
	struct ce_error err = { 0 };
	struct limits none = { 0 }, io = { .io_weight = 200 };
	char dir[PATH_MAX];
	int fds[CGROUP_SELF_MAX];
	int n;

	mkdirs(fx->root, "memory");
	mkdirs(fx->root, "blkio");
	if (cgroup_v1_ops.create("a", &err) < 0 || cgroup_v1_ops.create_leaf("a/b", &none, &err) < 0 ||
	    cgroup_v1_ops.create_leaf("a/c", &io, &err) < 0)
		fail_msg("%s", err.msg);
	pathf(dir, sizeof(dir), "%s/memory/a/b", fx->root);
	assert_true(cg_is_dir(dir));
	pathf(dir, sizeof(dir), "%s/blkio/a/b", fx->root);
	assert_false(cg_is_dir(dir));	/* joins blkio/a */
	pathf(dir, sizeof(dir), "%s/blkio/a/c", fx->root);
	assert_true(cg_is_dir(dir));	/* its io_weight is written there */
	pathf(dir, sizeof(dir), "%s/memory/a/b", fx->root);
	put_file(dir, "tasks", "");
	pathf(dir, sizeof(dir), "%s/blkio/a", fx->root);
	put_file(dir, "tasks", "");
	n = cgroup_v1_ops.open_self("a/b", false, fds, &err);
	if (n < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(n, 2);		/* memory/a/b/tasks and blkio/a/tasks */
	cg_close_all(fds, (size_t)n);
	pathf(dir, sizeof(dir), "%s/memory/a/b", fx->root);
	rm_rf(dir);
	pathf(dir, sizeof(dir), "%s/blkio/a/c", fx->root);
	rm_rf(dir);
	pathf(dir, sizeof(dir), "%s/memory/a/c", fx->root);
	rm_rf(dir);
}

/* ------------------------------------------------ real hierarchies (root) */

struct real {
	const char *root;		/* CENGINE_CGROUP_ROOT, NULL = default */
	const struct cgroup_ops *ops;	/* NULL: hierarchy not usable here */
	char parent[64];
	char leaf[80];
	pid_t child;
	pid_t child2;			/* clone3 CLONE_INTO_CGROUP child (v2) */
};

static struct real host = { .root = NULL };
static struct real unified = { .root = UNIFIED };

static void real_env(const struct real *r)
{
	unsetenv("CENGINE_CGROUP");
	if (r->root)
		setenv("CENGINE_CGROUP_ROOT", r->root, 1);
	else
		unsetenv("CENGINE_CGROUP_ROOT");
}

static void real_init(struct real *r)
{
	struct ce_error err = { 0 };

	/* its own name: a v1 group reaches into a hybrid host's unified tree too */
	snprintf(r->parent, sizeof(r->parent), "cengine-test-%s%d", r->root ? "u" : "", (int)getpid());
	snprintf(r->leaf, sizeof(r->leaf), "%s/c1", r->parent);
	real_env(r);
	r->ops = cgroup_detect(&err);
	if (r->root && r->ops != &cgroup_v2_ops)
		r->ops = NULL;	/* unified/ must be cgroup2 */
}

static void real_cleanup(struct real *r)
{
	struct ce_error err = { 0 };

	real_env(r);
	reap(&r->child);
	reap(&r->child2);
	if (r->ops && geteuid() == 0) {
		char oom[128];

		snprintf(oom, sizeof(oom), "%s/oom", r->parent);
		r->ops->kill_all(oom, &err);
		r->ops->destroy(oom, &err);
		r->ops->kill_all(r->leaf, &err);
		r->ops->destroy(r->leaf, &err);
		r->ops->destroy(r->parent, &err);
	}
	unsetenv("CENGINE_CGROUP_ROOT");
}

static int host_setup(void **state)
{
	real_env(&host);
	*state = &host;
	return 0;
}

static int unified_setup(void **state)
{
	real_env(&unified);
	*state = &unified;
	return 0;
}

static int real_teardown(void **state)
{
	unsetenv("CENGINE_CGROUP_ROOT");
	return 0;
}

static struct real *real_begin(void **state)
{
	struct real *r = *state;

	require_root();
	if (!r->ops)
		skip();
	return r;
}

/* Group directory for a controller (v2: the same for all). */
static bool real_dir(const struct real *r, const char *ctrl, const char *rel, char *buf, size_t n)
{
	if (r->ops == &cgroup_v1_ops)
		return cgroup_v1_dir(ctrl, rel, buf, n, NULL) == 0;
	pathf(buf, n, "%s/%s", cgroup_root(), rel);
	return true;
}

static void test_host_detect(void **state)
{
	struct ce_error err = { 0 };
	const struct cgroup_ops *ops;

	unsetenv("CENGINE_CGROUP");
	unsetenv("CENGINE_CGROUP_ROOT");
	ops = cgroup_detect(&err);
	if (is_fs("/sys/fs/cgroup", CGROUP2_SUPER_MAGIC))
		assert_ptr_equal(ops, &cgroup_v2_ops);
	else if (is_fs("/sys/fs/cgroup/memory", CGROUP_SUPER_MAGIC))
		assert_ptr_equal(ops, &cgroup_v1_ops);	/* hybrid or legacy */
	else
		skip();
}

static void test_real_create(void **state)
{
	struct real *r = real_begin(state);
	struct ce_error err = { 0 };
	char dir[PATH_MAX];
	size_t n = 0;

	if (r->ops->create(r->leaf, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(r->ops->create(r->leaf, &err), 0);	/* existing is fine */
	assert_true(r->ops->exists(r->leaf));
	for (size_t i = 0; i < sizeof(v1_all) / sizeof(v1_all[0]); i++)
		if (real_dir(r, v1_all[i], r->leaf, dir, sizeof(dir)) && ++n)
			assert_true(cg_is_dir(dir));
	assert_true(n > 0);
}

/* What test_real_apply's limits write: controller, then file and value on v1 and on v2 (NULL: none). */
static const struct expect {
	const char *ctrl;
	const char *file[2], *value[2];
} expected[] = {
	{ "cpu", { "cpu.shares", "cpu.weight" }, { "2048", "200" } },
	{ "cpuset", { "cpuset.cpus", "cpuset.cpus" }, { "0", "0" } },
	{ "memory", { "memory.soft_limit_in_bytes", "memory.high" }, { "41943040", "41943040" } },
	{ "cpu", { "cpu.cfs_quota_us", "cpu.max" }, { "50000", "50000 100000" } },
	{ "cpu", { "cpu.cfs_period_us", NULL }, { "100000", NULL } },
	{ "memory", { "memory.limit_in_bytes", "memory.max" }, { "52428800", "52428800" } },
	{ "pids", { "pids.max", "pids.max" }, { "64", "64" } },
};

/* Memory directory of the leaf when it has memory.memsw.* (swap accounting). */
static bool memsw_dir(const struct real *r, char *dir, size_t n)
{
	char path[PATH_MAX];

	if (!real_dir(r, "memory", r->leaf, dir, n))
		return false;
	pathf(path, sizeof(path), "%s/memory.memsw.limit_in_bytes", dir);
	return cg_exists(path);
}

static void test_real_apply(void **state)
{
	struct real *r = real_begin(state);
	struct limits lim = { .cpu = 0.5, .memory = 50 * MB, .pids = 64, .cpu_weight = 200,
			      .cpuset = "0", .memory_high = 40 * MB, .memory_swap = -1 };
	int v = r->ops == &cgroup_v1_ops ? 0 : 1;
	struct ce_error err = { 0 };
	char dir[PATH_MAX];

	if (r->ops->apply(r->leaf, &lim, &err) < 0)
		fail_msg("%s", err.msg);
	for (const struct expect *e = expected; e < expected + sizeof(expected) / sizeof(*expected); e++) {
		if (!e->file[v])
			continue;
		assert_true(real_dir(r, e->ctrl, r->leaf, dir, sizeof(dir)));
		expect_file(dir, e->file[v], e->value[v]);
	}
	/* No swap on top of the limit. */
	if (r->ops == &cgroup_v1_ops && memsw_dir(r, dir, sizeof(dir))) {
		expect_file(dir, "memory.memsw.limit_in_bytes", "52428800");
	}
	/* A smaller limit afterwards must also pass the memsw >= limit rule. */
	lim.memory = 40 * MB;
	if (r->ops->apply(r->leaf, &lim, &err) < 0)
		fail_msg("%s", err.msg);
	lim.memory = 50 * MB;
	assert_int_equal(r->ops->apply(r->leaf, &lim, &err), 0);
}

/* The unified mount here has no controllers: apply must name the missing one. */
static void test_unified_apply(void **state)
{
	struct real *r = real_begin(state);
	struct limits cpu = { .cpu = 0.5 }, mem = { .memory = 50 * MB }, none = { 0 };
	struct ce_error err = { 0 };
	char dir[PATH_MAX];

	assert_true(real_dir(r, "cpu", r->leaf, dir, sizeof(dir)));
	if (r->ops->apply(r->leaf, &cpu, &err) == 0)
		skip();	/* this unified mount has controllers after all */
	assert_int_equal(err.code, ENOTSUP);
	assert_msg_has(&err, "'cpu'");
	assert_int_equal(r->ops->apply(r->leaf, &mem, &err), -1);
	assert_msg_has(&err, "'memory'");
	assert_int_equal(r->ops->apply(r->leaf, &none, &err), 0);
}

static void assert_in_group(const struct real *r, pid_t pid)
{
	char dir[PATH_MAX];
	size_t n = 0;

	for (size_t i = 0; i < sizeof(v1_all) / sizeof(v1_all[0]); i++) {
		if (!real_dir(r, v1_all[i], r->leaf, dir, sizeof(dir)))
			continue;
		n++;
		if (!procs_has(dir, pid))
			fail_msg("pid %d not in %s/cgroup.procs", (int)pid, dir);
	}
	assert_true(n > 0);
}

static pid_t clone_into(int cgfd)
{
	struct clone_args args = {
		.flags = CLONE_INTO_CGROUP,
		.exit_signal = SIGCHLD,
		.cgroup = (uint64_t)cgfd,
	};
	pid_t pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));

	if (pid == 0)
		child_wait_forever();
	return pid;
}

/* Every line of /proc/PID/cgroup names the group: cgroup v1 hierarchies with or without limits
 * (devices, name=systemd), and a hybrid host's unified tree. */
static void assert_in_every_hierarchy(const struct real *r, pid_t pid)
{
	char path[64], line[512], want[128];
	size_t n = 0;
	FILE *f;

	pathf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	pathf(want, sizeof(want), ":/%s\n", r->leaf);
	f = fopen(path, "re");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		n++;
		if (strlen(line) < strlen(want) || strcmp(line + strlen(line) - strlen(want), want))
			fail_msg("pid %d is outside %s: %s", (int)pid, r->leaf, line);
	}
	fclose(f);
	assert_true(n > 0);
}

static const char *unified_dir(const struct real *r, char *buf, size_t n)
{
	pathf(buf, n, "%s/%s", UNIFIED, r->leaf);
	return buf;
}

static void test_real_enter(void **state)
{
	struct real *r = real_begin(state);
	struct ce_error err = { 0 };
	char dir[PATH_MAX];
	int fd;

	r->child = spawn_sleeper();
	if (r->ops->enter(r->leaf, r->child, &err) < 0)
		fail_msg("%s", err.msg);
	assert_in_group(r, r->child);
	if (!r->root)
		assert_in_every_hierarchy(r, r->child);

	/* v1 on a hybrid host: clone3 places the child in the unified tree's group */
	fd = r->ops->open_fd(r->leaf, &err);
	if (r->ops == &cgroup_v1_ops && !is_fs(UNIFIED, CGROUP2_SUPER_MAGIC)) {
		assert_int_equal(fd, -1);
		assert_int_equal(err.code, ENOTSUP);
		return;
	}
	if (fd < 0)
		fail_msg("%s", err.msg);
	r->child2 = clone_into(fd);
	close(fd);
	if (r->child2 < 0 && errno == ENOSYS) {	/* e.g. under valgrind */
		r->child2 = 0;
		return;
	}
	assert_true(r->child2 > 0);
	if (r->ops == &cgroup_v1_ops)
		assert_true(procs_has(unified_dir(r, dir, sizeof(dir)), r->child2));
	else
		assert_in_group(r, r->child2);
}

/* Child: join the group, then mknod c 1:11 (kmsg) and c 1:3 (null) in dir and open /dev/null.
 * Exit status: 0 as the allow-list says, 1 kmsg made, 2 null not made, 3 /dev/null refused, 4 join. */
static void child_devices(const struct real *r, const char *dir)
{
	struct ce_error err = { 0 };
	char kmsg[PATH_MAX], null[PATH_MAX];
	int fd, rc;

	if (r->ops->enter(r->leaf, getpid(), &err) < 0)
		_exit(4);
	pathf(kmsg, sizeof(kmsg), "%s/kmsg", dir);
	pathf(null, sizeof(null), "%s/null", dir);
	rc = mknod(kmsg, S_IFCHR | 0600, makedev(1, 11)) == 0 ? 1 : errno != EPERM ? 1 : 0;
	if (!rc && mknod(null, S_IFCHR | 0600, makedev(1, 3)) < 0)
		rc = 2;
	fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (!rc && fd < 0)
		rc = 3;
	_exit(rc);
}

/* The default allow-list, enforced: v1 devices files, v2 a BPF program. */
static void test_real_devices(void **state)
{
	struct real *r = real_begin(state);
	struct device_rule rules[DEVICES_MAX];
	int n = devices_rules(NULL, rules, DEVICES_MAX), status = -1;
	struct ce_error err = { 0 };
	char dir[] = "/tmp/cengine-devtest-XXXXXX", path[PATH_MAX];
	pid_t pid;

	assert_true(n > 0);
	if (r->ops == &cgroup_v1_ops && cgroup_v1_dir("devices", r->leaf, path, sizeof(path), NULL) < 0)
		skip();	/* no devices hierarchy here */
	if (r->ops->devices(r->leaf, rules, (size_t)n, &err) < 0)
		fail_msg("%s", err.msg);
	assert_non_null(mkdtemp(dir));
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		child_devices(r, dir);
	waitpid(pid, &status, 0);
	pathf(path, sizeof(path), "%s/kmsg", dir);
	unlink(path);
	pathf(path, sizeof(path), "%s/null", dir);
	unlink(path);
	rmdir(dir);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_real_stats(void **state)
{
	struct real *r = real_begin(state);
	struct cgroup_stats st;
	struct ce_error err = { 0 };
	char dir[PATH_MAX], path[PATH_MAX];

	if (r->ops->stats(r->leaf, &st, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(st.oom_kills, 0);
	assert_true(real_dir(r, "pids", r->leaf, dir, sizeof(dir)));
	pathf(path, sizeof(path), "%s/pids.current", dir);
	if (!cg_exists(path)) {	/* no controllers: defaults */
		assert_int_equal(st.pids_current, 0);
		assert_true(st.memory_max == UINT64_MAX);
		return;
	}
	assert_true(st.pids_current >= 1);
	assert_int_equal(st.memory_max, 50 * MB);
}

/* Child: wait until the parent moved us into the group, then allocate (and touch)
 * far more than the group's memory.max; the OOM killer must SIGKILL us. */
static void child_hog(int go)
{
	char c;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (read(go, &c, 1) != 1)
		_exit(3);
	for (int i = 0; i < 256; i++) {
		char *p = malloc(MB);

		if (!p)
			_exit(4);
		memset(p, i, MB);
	}
	_exit(0);
}

/* stats() counts an OOM kill in the group (memory.oom_control / memory.events). */
static void test_real_oom_stats(void **state)
{
	struct real *r = real_begin(state);
	struct limits lim = { .memory = 16 * MB, .memory_swap = -1 };
	struct cgroup_stats st;
	struct ce_error err = { 0 };
	char rel[128], dir[PATH_MAX], path[PATH_MAX];
	int go[2], status = 0;
	pid_t pid;

	pathf(rel, sizeof(rel), "%s/oom", r->parent);
	assert_true(real_dir(r, "memory", rel, dir, sizeof(dir)));
	if (r->ops->create(rel, &err) < 0)
		fail_msg("%s", err.msg);
	pathf(path, sizeof(path), "%s/%s", dir, r->ops == &cgroup_v1_ops ? "memory.limit_in_bytes" : "memory.max");
	if (!cg_exists(path)) {		/* no memory controller here */
		r->ops->destroy(rel, &err);
		skip();
	}
	if (r->ops->apply(rel, &lim, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(pipe(go), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		child_hog(go[0]);
	close(go[0]);
	if (r->ops->enter(rel, pid, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(write(go[1], "g", 1), 1);
	close(go[1]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (r->ops->stats(rel, &st, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(r->ops->destroy(rel, &err), 0);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	assert_int_equal(st.oom_kills, 1);
	assert_int_equal(st.memory_max, 16 * MB);
	assert_int_equal(st.pids_current, 0);
	assert_true(st.cpu_usage_usec > 0);	/* it touched 16 MB before dying */
}

static void test_real_kill_all(void **state)
{
	struct real *r = real_begin(state);
	struct ce_error err = { 0 };
	char dir[PATH_MAX];

	assert_true(r->child > 0);
	if (r->ops->kill_all(r->leaf, &err) < 0)
		fail_msg("%s", err.msg);
	assert_true(real_dir(r, "memory", r->leaf, dir, sizeof(dir)) ||
		    real_dir(r, "pids", r->leaf, dir, sizeof(dir)));
	assert_false(procs_has(dir, r->child));
	assert_killed(&r->child);
	if (r->child2 > 0)
		assert_killed(&r->child2);
	assert_int_equal(r->ops->kill_all(r->leaf, &err), 0);	/* already empty */
}

/* destroy(group): gone, in every hierarchy. */
static void expect_destroyed(const struct real *r, const char *group)
{
	struct ce_error err = { 0 };
	char dir[PATH_MAX];

	if (r->ops->destroy(group, &err) < 0)
		fail_msg("%s", err.msg);
	assert_false(r->ops->exists(group));
	for (size_t i = 0; i < sizeof(v1_all) / sizeof(v1_all[0]); i++)
		if (real_dir(r, v1_all[i], group, dir, sizeof(dir)))
			assert_false(cg_exists(dir));
}

static void test_real_destroy(void **state)
{
	struct real *r = real_begin(state);
	struct ce_error err = { 0 };

	expect_destroyed(r, r->leaf);
	expect_destroyed(r, r->parent);
	/* Missing groups are not errors. */
	assert_int_equal(r->ops->destroy(r->leaf, &err), 0);
	assert_int_equal(r->ops->kill_all(r->leaf, &err), 0);
	assert_int_equal(r->ops->stats(r->leaf, &(struct cgroup_stats){ 0 }, &err), -1);
	assert_int_equal(err.code, ENOENT);
}

/* ----------------------------------------------------------------- main */

/* Same steps on the controller-less unified mount, under their own names. */
static void test_unified_create(void **state) { test_real_create(state); }
static void test_unified_enter(void **state) { test_real_enter(state); }
static void test_unified_devices(void **state) { test_real_devices(state); }
static void test_unified_stats(void **state) { test_real_stats(state); }
static void test_unified_kill_all(void **state) { test_real_kill_all(state); }
static void test_unified_destroy(void **state) { test_real_destroy(state); }

static int group_setup(void **state)
{
	real_init(&host);
	real_init(&unified);
	unsetenv("CENGINE_CGROUP_ROOT");
	return 0;
}

static int group_teardown(void **state)
{
	real_cleanup(&host);
	real_cleanup(&unified);
	return 0;
}

#define FAKE(t) cmocka_unit_test_setup_teardown(t, fake_setup, fake_teardown)
#define HOST(t) cmocka_unit_test_setup_teardown(t, host_setup, real_teardown)
#define UNIFIED_TEST(t) cmocka_unit_test_setup_teardown(t, unified_setup, real_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpu_to_quota),
		cmocka_unit_test(test_table_cpu),
		cmocka_unit_test(test_table_memory),
		cmocka_unit_test(test_table_pids),
		cmocka_unit_test(test_weight_to_shares),
		cmocka_unit_test(test_table_extra),
		cmocka_unit_test(test_table_is_set),
		cmocka_unit_test(test_rel_checks),
		cmocka_unit_test(test_word_in),
		cmocka_unit_test(test_v1_mountinfo),
		cmocka_unit_test(test_device_format),
		cmocka_unit_test(test_device_defaults),
		cmocka_unit_test(test_device_bpf_build),
		FAKE(test_root_override),
		FAKE(test_detect_forced),
		FAKE(test_detect_fixture),
		FAKE(test_v2_create_fixture),
		FAKE(test_v2_scope_fixture),
		FAKE(test_v2_apply_fixture),
		FAKE(test_v2_apply_missing_controller),
		FAKE(test_v1_apply_fixture),
		FAKE(test_v1_apply_extra_fixture),
		FAKE(test_v1_apply_missing_controller),
		FAKE(test_v1_fixture_lifecycle),
		FAKE(test_v1_fixture_leaf),
		FAKE(test_v1_devices_fixture),
		cmocka_unit_test(test_host_detect),
		HOST(test_real_create),
		HOST(test_real_apply),
		HOST(test_real_enter),
		HOST(test_real_devices),
		HOST(test_real_stats),
		HOST(test_real_oom_stats),
		HOST(test_real_kill_all),
		HOST(test_real_destroy),
		UNIFIED_TEST(test_unified_create),
		UNIFIED_TEST(test_unified_apply),
		UNIFIED_TEST(test_unified_enter),
		UNIFIED_TEST(test_unified_devices),
		UNIFIED_TEST(test_unified_stats),
		UNIFIED_TEST(test_unified_kill_all),
		UNIFIED_TEST(test_unified_destroy),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
