/* SPDX-License-Identifier: MIT */
/* probe_own.c: static helper of escape_own.sh: the link names of cengine's old 32-bit naming, and a name that collides with one. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Before the ownership fix cengine named a host veth "ve" + 8 hex digits of a
 * 32-bit FNV-1a hash of "project/container/index" + "-index", and a bridge
 * "ce-project-network". This helper reproduces those names, independent of the
 * cengine being tested, and finds a container name of another project whose old
 * veth name equals a given one: FNV-1a is invertible byte by byte, so a meet in
 * the middle over 4 + 4 characters (36^4 each way) finds one in well under a second.
 *
 *   probe_own old-veth PROJECT CONTAINER INDEX      the old host veth name
 *   probe_own old-bridge PROJECT NETWORK            the old default bridge name
 *   probe_own collide PROJECT CONTAINER INDEX OTHER a container name x........ of
 *                                                   project OTHER with the same old veth name
 */

#define FNV_OFFSET 2166136261u
#define FNV_PRIME 16777619u
#define HALF 4
static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
#define NA (sizeof(alphabet) - 1)

static uint32_t feed(uint32_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * FNV_PRIME;
	return h;
}

/* The hash before s was fed, given the hash after: (h * P^-1) ^ byte, last byte first. */
static uint32_t unfeed(uint32_t h, const char *s, uint32_t inverse)
{
	for (size_t i = strlen(s); i-- > 0;)
		h = (h * inverse) ^ (unsigned char)s[i];
	return h;
}

static uint32_t prime_inverse(void)
{
	uint32_t x = FNV_PRIME;	/* Newton: each step doubles the correct low bits */

	for (int i = 0; i < 5; i++)
		x *= 2 - FNV_PRIME * x;
	return x;
}

static uint32_t veth_hash(const char *project, const char *container, const char *index)
{
	return feed(feed(feed(feed(feed(FNV_OFFSET, project), "/"), container), "/"), index);
}

static void word(size_t code, char out[HALF + 1])
{
	for (int i = 0; i < HALF; i++, code /= NA)
		out[i] = alphabet[code % NA];
	out[HALF] = '\0';
}

struct fwd {
	uint32_t h;
	uint32_t code;
};

static int cmp_fwd(const void *a, const void *b)
{
	uint32_t x = ((const struct fwd *)a)->h, y = ((const struct fwd *)b)->h;

	return x < y ? -1 : x > y;
}

/* "x" + 4 forward characters + 4 backward ones, between "OTHER/" and "/INDEX". */
static int collide(const char *project, const char *container, const char *index, const char *other)
{
	size_t n = 1;
	uint32_t inverse = prime_inverse(), start, goal;
	struct fwd *t, key, *hit;
	char a[HALF + 1], b[HALF + 1];

	for (int i = 0; i < HALF; i++)
		n *= NA;
	t = calloc(n, sizeof(*t));
	if (!t)
		return 1;
	start = feed(feed(feed(FNV_OFFSET, other), "/"), "x");
	goal = unfeed(unfeed(veth_hash(project, container, index), index, inverse), "/", inverse);
	for (size_t i = 0; i < n; i++) {
		word(i, a);
		t[i] = (struct fwd){ feed(start, a), (uint32_t)i };
	}
	qsort(t, n, sizeof(*t), cmp_fwd);
	for (size_t i = 0; i < n; i++) {
		word(i, b);
		key.h = unfeed(goal, b, inverse);
		hit = bsearch(&key, t, n, sizeof(*t), cmp_fwd);
		if (hit) {
			word(hit->code, a);
			printf("x%s%s\n", a, b);
			free(t);
			return 0;
		}
	}
	free(t);
	fprintf(stderr, "probe_own: no collision found\n");
	return 1;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "old-veth")) {
		printf("ve%08x-%.4s\n", veth_hash(argv[2], argv[3], argv[4]), argv[4]);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "old-bridge")) {
		printf("ce-%s-%s\n", argv[2], argv[3]);
		return 0;
	}
	if (argc == 6 && !strcmp(argv[1], "collide"))
		return collide(argv[2], argv[3], argv[4], argv[5]);
	fprintf(stderr, "usage: probe_own old-veth P C I | old-bridge P N | collide P C I OTHER\n");
	return 2;
}
