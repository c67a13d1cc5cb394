/* SPDX-License-Identifier: MIT */
/* plan.c: print the resolved plan of a project (`cengine check`). */
#include "parser/parser.h"

#include <stdio.h>
#include <string.h>

#include "parser/internal.h"
#include "parser/topo.h"
#include "util/addr.h"

/* ---- plan ---- */

static void print_arg(const char *arg, FILE *out)
{
	if (*arg && !arg[strcspn(arg, " \t\n\"\\'$")]) {
		fputs(arg, out);
		return;
	}
	fputc('"', out);
	for (; *arg; arg++) {
		if (*arg == '"' || *arg == '\\')
			fputc('\\', out);
		fputc(*arg, out);
	}
	fputc('"', out);
}

static void print_network(const struct network *n, FILE *out)
{
	char sub[32], gw[16];

	fprintf(out, "network %s: bridge %s, subnet %s, gateway %s", n->name, n->bridge, pv_subnet_str(n, sub),
		n->gateway ? addr_format(n->gateway, gw, sizeof(gw)) : "-");
	if (n->mtu)
		fprintf(out, ", mtu %d", n->mtu);
	fputc('\n', out);
}

static void print_limits(const struct limits *l, FILE *out)
{
	if (l->cpu > 0)
		fprintf(out, ", cpu %g", l->cpu);
	else
		fputs(", cpu -", out);
	if (l->memory)
		fprintf(out, ", memory %llu", (unsigned long long)l->memory);
	else
		fputs(", memory -", out);
	if (l->pids)
		fprintf(out, ", pids %lld", (long long)l->pids);
	else
		fputs(", pids -", out);
	/* the optional limits only when set */
	if (l->cpu_weight)
		fprintf(out, ", cpu_weight %llu", (unsigned long long)l->cpu_weight);
	if (l->cpuset[0])
		fprintf(out, ", cpuset %s", l->cpuset);
	if (l->memory_high)
		fprintf(out, ", memory_high %llu", (unsigned long long)l->memory_high);
	if (l->memory_swap >= 0)
		fprintf(out, ", memory_swap %lld", (long long)l->memory_swap);
	if (l->io_weight)
		fprintf(out, ", io_weight %llu", (unsigned long long)l->io_weight);
}

static void print_container(const struct project *p, const struct container *c, FILE *out)
{
	char a[16];

	fprintf(out, "container %s: hostname %s, rootfs %s", c->name, c->hostname, c->rootfs);
	print_limits(&c->limits, out);
	fputs(", command", out);
	if (!c->command)
		fputs(" (wait)", out);
	for (char **arg = c->command; arg && *arg; arg++) {
		fputc(' ', out);
		print_arg(*arg, out);
	}
	fputc('\n', out);
	for (size_t i = 0; i < c->n_ifaces; i++) {
		const struct iface *f = &c->ifaces[i];

		fprintf(out, "  %s %s/%d on %s (host veth %s)\n", f->ifname, addr_format(f->addr, a, sizeof(a)),
			f->prefix, p->networks[f->network].name, f->host_ifname);
	}
	for (char **e = c->env; e && *e; e++)
		fprintf(out, "  env %s\n", *e);
	pv_topo_print_container(c, out);
}

void parser_print_plan(const struct project *p, FILE *out)
{
	fprintf(out, "project %s (%s)\n", p->name, p->file);
	for (size_t i = 0; i < p->n_networks; i++) {
		print_network(&p->networks[i], out);
		pv_topo_print_network(&p->networks[i], out);
	}
	for (size_t i = 0; i < p->n_containers; i++)
		print_container(p, &p->containers[i], out);
	pv_topo_print_links(p, out);
}

