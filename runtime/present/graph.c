/* SPDX-License-Identifier: MIT */
/* graph.c: `cengine graph`: the topology (networks, containers, their interfaces and links, impairments on the edges) as DOT, Mermaid or JSON, deterministic. */
#include "util/escape.h"
#include "runtime/present/graph.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/present/json.h"
#include "util/addr.h"

static bool zero6(const uint8_t a[16])
{
	static const uint8_t zero[16];

	return !memcmp(a, zero, 16);
}

/* The lines of a node or an edge's label, joined by sep. */
struct label {
	char *buf;
	size_t len;
	FILE *f;
	const char *sep;
	int lines;
};

static void line_start(struct label *l)
{
	if (l->lines++)
		fputs(l->sep, l->f);
}

static void network_label(struct label *l, const struct network *n)
{
	char a[48];

	line_start(l);
	fputs(n->name, l->f);
	line_start(l);
	fputs(network_subnet_text(n, a), l->f);
	if (n->gateway) {
		line_start(l);
		fprintf(l->f, "gw %s", network_addr_text(n, n->gateway, a));
	}
	if (n->prefix6) {
		line_start(l);
		fprintf(l->f, "%s/%d", n->subnet6_auto ? "auto" : inet_ntop(AF_INET6, n->subnet6, a, sizeof(a)), n->prefix6);
	}
	line_start(l);
	fprintf(l->f, "bridge %s%s", n->bridge, n->nat ? ", nat" : "");
}

/* "eth0 10.0.0.2/24 fd00::2 delay 50ms" */
static void end_text(FILE *f, const char *ifname, const struct network *n, uint32_t addr, int prefix,
		     const uint8_t addr6[16], const struct impair *im)
{
	char a[48];

	fputs(ifname, f);
	if (addr && n)
		fprintf(f, " %s/%d", network_addr_text(n, addr, a), prefix);
	else if (addr)
		fprintf(f, " %s/%d", addr_format(addr, a, sizeof(a)), prefix);
	if (!zero6(addr6))
		fprintf(f, " %s", network_addr6_text(n, addr6, a));
	impair_print(im, f);
}

static void iface_label(struct label *l, const struct project *p, const struct iface *f)
{
	line_start(l);
	end_text(l->f, f->ifname, &p->networks[f->network], f->addr, f->prefix, f->addr6, &f->impair);
}

static void link_label(struct label *l, const struct link *k)
{
	for (int e = 0; e < 2; e++) {
		line_start(l);
		end_text(l->f, k->end[e].ifname, NULL, k->end[e].addr, k->end[e].prefix, k->end[e].addr6, &k->end[e].impair);
	}
	if (k->mtu) {
		line_start(l);
		fprintf(l->f, "mtu %d", k->mtu);
	}
}

static bool label_open(struct label *l, const char *sep)
{
	*l = (struct label){ .sep = sep };
	l->f = open_memstream(&l->buf, &l->len);
	return l->f != NULL;
}

static const char *label_done(struct label *l)
{
	fclose(l->f);
	return l->buf ? l->buf : "";
}

/* Each node and edge, in file order: networks, containers, their interfaces, links. */
struct graph_out {
	void (*head)(FILE *f, const struct project *p);
	void (*network)(FILE *f, bool first, size_t i, const char *label);
	void (*container)(FILE *f, bool first, size_t i, const char *name);
	void (*edges)(FILE *f);	/* after the nodes, before the edges */
	void (*edge)(FILE *f, bool first, const char *a, const char *b, bool link, const char *label);
	void (*tail)(FILE *f);
	const char *sep;
};

static void walk(FILE *f, const struct project *p, const struct graph_out *o)
{
	struct label l;
	char a[24], b[24];
	size_t first = 0;

	o->head(f, p);
	for (size_t i = 0; i < p->n_networks && label_open(&l, o->sep); i++) {
		network_label(&l, &p->networks[i]);
		o->network(f, !i, i, label_done(&l));
		free(l.buf);
	}
	for (size_t i = 0; i < p->n_containers; i++)
		o->container(f, !i && !p->n_networks, i, p->containers[i].name);
	o->edges(f);
	for (size_t i = 0; i < p->n_containers; i++)
		for (size_t j = 0; j < p->containers[i].n_ifaces && label_open(&l, " "); j++) {
			iface_label(&l, p, &p->containers[i].ifaces[j]);
			snprintf(a, sizeof(a), "c%zu", i);
			snprintf(b, sizeof(b), "n%zu", p->containers[i].ifaces[j].network);
			o->edge(f, !first++, a, b, false, label_done(&l));
			free(l.buf);
		}
	for (size_t i = 0; i < p->n_links && label_open(&l, o->sep); i++) {
		link_label(&l, &p->links[i]);
		snprintf(a, sizeof(a), "c%zu", p->links[i].end[0].container);
		snprintf(b, sizeof(b), "c%zu", p->links[i].end[1].container);
		o->edge(f, !first++, a, b, true, label_done(&l));
		free(l.buf);
	}
	o->tail(f);
}

/* ---- DOT (Graphviz) ---- */

static void dot_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || (*s == '\\' && s[1] != 'n'))
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void dot_head(FILE *f, const struct project *p)
{
	fputs("graph ", f);
	dot_str(f, p->name);
	fputs(" {\n  graph [rankdir=LR, fontname=\"Helvetica\"];\n"
	      "  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n", f);
}

static void dot_network(FILE *f, bool first, size_t i, const char *label)
{
	fprintf(f, "  n%zu [shape=box, style=\"rounded,filled\", fillcolor=\"#e8f0fe\", label=", i);
	dot_str(f, label);
	fputs("];\n", f);
}

static void dot_container(FILE *f, bool first, size_t i, const char *name)
{
	fprintf(f, "  c%zu [shape=box, style=filled, fillcolor=\"#fff4e0\", label=", i);
	dot_str(f, name);
	fputs("];\n", f);
}

static void nothing(FILE *f)
{
	(void)f;
}

static void dot_edge(FILE *f, bool first, const char *a, const char *b, bool link, const char *label)
{
	fprintf(f, "  %s -- %s [label=", a, b);
	dot_str(f, label);
	fputs(link ? ", style=bold];\n" : "];\n", f);
}

static void dot_tail(FILE *f)
{
	fputs("}\n", f);
}

/* ---- Mermaid (GitHub renders it in Markdown and job summaries) ---- */

static void mermaid_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++)
		if (*s == '"')
			fputs("#quot;", f);
		else
			fputc(*s, f);
	fputc('"', f);
}

static void mermaid_head(FILE *f, const struct project *p)
{
	fprintf(f, "graph LR\n  %%%% project %s\n", p->name);
}

static void mermaid_network(FILE *f, bool first, size_t i, const char *label)
{
	fprintf(f, "  n%zu([", i);
	mermaid_str(f, label);
	fputs("])\n", f);
}

static void mermaid_container(FILE *f, bool first, size_t i, const char *name)
{
	fprintf(f, "  c%zu[", i);
	mermaid_str(f, name);
	fputs("]\n", f);
}

static void mermaid_edge(FILE *f, bool first, const char *a, const char *b, bool link, const char *label)
{
	fprintf(f, "  %s %s|", a, link ? "===" : "---");
	mermaid_str(f, label);
	fprintf(f, "| %s\n", b);
}


/* ---- JSON: {"project": ..., "nodes": [{id, kind, label}], "edges": [{from, to, kind, label}]} ---- */

static void json_head(FILE *f, const struct project *p)
{
	fputs("{\"project\": ", f);
	escape_json(f, p->name);
	fputs(", \"nodes\": [", f);
}

static void json_node(FILE *f, bool first, const char *kind, char id, size_t i, const char *label)
{
	fprintf(f, "%s\n  {\"id\": \"%c%zu\", \"kind\": \"%s\", \"label\": ", first ? "" : ",", id, i, kind);
	escape_json(f, label);
	fputc('}', f);
}

static void json_network(FILE *f, bool first, size_t i, const char *label)
{
	json_node(f, first, "network", 'n', i, label);
}

static void json_container(FILE *f, bool first, size_t i, const char *name)
{
	json_node(f, first, "container", 'c', i, name);
}

static void json_edges(FILE *f)
{
	fputs("\n], \"edges\": [", f);
}

static void json_edge(FILE *f, bool first, const char *a, const char *b, bool link, const char *label)
{
	fprintf(f, "%s\n  {\"from\": \"%s\", \"to\": \"%s\", \"kind\": \"%s\", \"label\": ", first ? "" : ",", a, b,
		link ? "link" : "interface");
	escape_json(f, label);
	fputc('}', f);
}

static void json_tail(FILE *f)
{
	fputs("\n]}\n", f);
}

static const struct graph_out formats[] = {
	[GRAPH_DOT] = { dot_head, dot_network, dot_container, nothing, dot_edge, dot_tail, "\\n" },
	[GRAPH_MERMAID] = { mermaid_head, mermaid_network, mermaid_container, nothing, mermaid_edge, nothing, "<br/>" },
	[GRAPH_JSON] = { json_head, json_network, json_container, json_edges, json_edge, json_tail, "\n" },
};

void graph_print(FILE *f, const struct project *p, enum graph_format format)
{
	walk(f, p, &formats[format]);
}
