/* SPDX-License-Identifier: MIT */
/* cgroup/device_bpf.c: the device allow-list on cgroup v2: a BPF_PROG_TYPE_CGROUP_DEVICE program assembled here, loaded and attached with bpf(2). */
#include "cgroup/internal.h"

#include <errno.h>
#include <linux/bpf.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/cleanup.h"

/* The kernel runs the program on every open and mknod of a device node by a process of the group
 * (struct bpf_cgroup_dev_ctx: access_type = access << 16 | type, major, minor); 1 allows, 0
 * denies (EPERM). It reads the context into registers once, then tests one rule after another:
 *	w2 = type; w3 = access; w4 = major; w5 = minor;
 *	rule: if (w2 != TYPE) next; if (w3 & ~ACCESS) next; if (w4 != MAJOR) next; if (w5 != MINOR) next;
 *	      return 1;
 *	...
 *	return 0;
 * A test a rule does not need (type 'a', access rwm, a number DEVICE_ANY) is left out. */
enum { R0, R1, R2, R3, R4, R5, R6 };

struct prog {
	struct bpf_insn *insns;
	size_t n, max;
};

static size_t emit(struct prog *p, uint8_t code, uint8_t dst, uint8_t src, int32_t imm)
{
	if (p->n < p->max)
		p->insns[p->n] = (struct bpf_insn){ .code = code, .dst_reg = dst, .src_reg = src, .imm = imm };
	return p->n++;
}

static void load_ctx(struct prog *p, uint8_t dst, int16_t off)
{
	size_t i = emit(p, BPF_LDX | BPF_MEM | BPF_W, dst, R1, 0);

	if (i < p->max)
		p->insns[i].off = off;
}

static void emit_header(struct prog *p)
{
	load_ctx(p, R2, offsetof(struct bpf_cgroup_dev_ctx, access_type));
	emit(p, BPF_ALU | BPF_AND | BPF_K, R2, 0, 0xffff);
	load_ctx(p, R3, offsetof(struct bpf_cgroup_dev_ctx, access_type));
	emit(p, BPF_ALU | BPF_RSH | BPF_K, R3, 0, 16);
	load_ctx(p, R4, offsetof(struct bpf_cgroup_dev_ctx, major));
	load_ctx(p, R5, offsetof(struct bpf_cgroup_dev_ctx, minor));
}

/* One rule: its tests jump past its "return 1" when they fail. */
static void emit_rule(struct prog *p, const struct device_rule *r)
{
	size_t jumps[4], k = 0;

	if (r->type != 'a')
		jumps[k++] = emit(p, BPF_JMP | BPF_JNE | BPF_K, R2, 0,
				  r->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR);
	if (r->access != DEVICE_RWM) {
		emit(p, BPF_ALU | BPF_MOV | BPF_X, R6, R3, 0);
		emit(p, BPF_ALU | BPF_AND | BPF_K, R6, 0, ~r->access & DEVICE_RWM);
		jumps[k++] = emit(p, BPF_JMP | BPF_JNE | BPF_K, R6, 0, 0);
	}
	if (r->major != DEVICE_ANY)
		jumps[k++] = emit(p, BPF_JMP | BPF_JNE | BPF_K, R4, 0, r->major);
	if (r->minor != DEVICE_ANY)
		jumps[k++] = emit(p, BPF_JMP | BPF_JNE | BPF_K, R5, 0, r->minor);
	emit(p, BPF_ALU64 | BPF_MOV | BPF_K, R0, 0, 1);
	emit(p, BPF_JMP | BPF_EXIT, 0, 0, 0);
	for (size_t j = 0; j < k && p->n <= p->max; j++)
		p->insns[jumps[j]].off = (int16_t)(p->n - jumps[j] - 1);
}

size_t cgroup_device_bpf_build(const struct device_rule *rules, size_t n, struct bpf_insn *insns, size_t max)
{
	struct prog p = { .insns = insns, .max = max };

	emit_header(&p);
	for (size_t i = 0; i < n; i++) {
		if (!devices_rule_valid(&rules[i]))
			return 0;
		emit_rule(&p, &rules[i]);
	}
	emit(&p, BPF_ALU64 | BPF_MOV | BPF_K, R0, 0, 0);
	emit(&p, BPF_JMP | BPF_EXIT, 0, 0, 0);
	return p.n <= max ? p.n : 0;
}

static int bpf(int cmd, union bpf_attr *attr)
{
	return (int)syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

/* BPF_PROG_LOAD; on failure again with the verifier's log, whose last line goes into err. */
static int prog_load(const struct bpf_insn *insns, size_t n, const char *dir, struct ce_error *err)
{
	union bpf_attr attr;
	char log[4096] = "", *last;
	int fd, saved;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	attr.insns = (uint64_t)(uintptr_t)insns;
	attr.insn_cnt = (uint32_t)n;
	attr.license = (uint64_t)(uintptr_t)"MIT";
	fd = bpf(BPF_PROG_LOAD, &attr);
	if (fd >= 0)
		return fd;
	saved = errno;
	attr.log_level = 1, attr.log_buf = (uint64_t)(uintptr_t)log, attr.log_size = sizeof(log);
	fd = bpf(BPF_PROG_LOAD, &attr);
	if (fd >= 0)
		return fd;
	log[sizeof(log) - 1] = '\0';
	while (*log && log[strlen(log) - 1] == '\n')
		log[strlen(log) - 1] = '\0';
	last = strrchr(log, '\n');
	return ce_error_set(err, saved, "%s: load the device program (BPF_PROG_TYPE_CGROUP_DEVICE)%s%s", dir,
			    *log ? ": " : "", last ? last + 1 : log);
}

int cgroup_device_bpf_attach(int dfd, const char *dir, const struct device_rule *rules, size_t n,
			     struct ce_error *err)
{
	struct bpf_insn insns[CG_DEVICE_BPF_MAX];
	size_t count = cgroup_device_bpf_build(rules, n, insns, CG_DEVICE_BPF_MAX);
	_cleanup_close_ int prog = -1;
	union bpf_attr attr;

	if (!count)
		return ce_error_set(err, EINVAL, "%s: device rules not valid or too many", dir);
	prog = prog_load(insns, count, dir, err);
	if (prog < 0)
		return -1;
	memset(&attr, 0, sizeof(attr));
	attr.target_fd = (uint32_t)dfd;
	attr.attach_bpf_fd = (uint32_t)prog;
	attr.attach_type = BPF_CGROUP_DEVICE;
	/* as systemd and crun: a parent's program keeps running too, all must allow */
	attr.attach_flags = BPF_F_ALLOW_MULTI;
	if (bpf(BPF_PROG_ATTACH, &attr) < 0)
		return ce_error_set(err, errno, "%s: attach the device program", dir);
	return 0;
}
