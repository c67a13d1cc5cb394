/* SPDX-License-Identifier: MIT */
/* graph.c: `cengine graph`: the topology (networks, containers, their interfaces and links, impairments on the edges) as DOT, Mermaid or JSON, deterministic. */
#include "runtime/present/graph.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "util/json.h"
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

/* Where a format writes: the stream (DOT, Mermaid), or the document's arrays (JSON, printed at the end). */
struct sink {
	FILE *f;
	json_t *doc, *nodes, *edges;
};

/* Each node and edge, in file order: networks, containers, their interfaces, links. */
struct graph_out {
	void (*head)(struct sink *s, const struct project *p);
	void (*node)(struct sink *s, char id, size_t i, const char *label);	/* id 'n' network i, 'c' container i */
	void (*edge)(struct sink *s, const char *a, const char *b, bool link, const char *label);
	void (*tail)(struct sink *s);
	const char *sep;
};

static void walk(struct sink *s, const struct project *p, const struct graph_out *o)
{
	struct label l;
	char a[24], b[24];

	o->head(s, p);
	for (size_t i = 0; i < p->n_networks && label_open(&l, o->sep); i++) {
		network_label(&l, &p->networks[i]);
		o->node(s, 'n', i, label_done(&l));
		free(l.buf);
	}
	for (size_t i = 0; i < p->n_containers; i++)
		o->node(s, 'c', i, p->containers[i].name);
	for (size_t i = 0; i < p->n_containers; i++)
		for (size_t j = 0; j < p->containers[i].n_ifaces && label_open(&l, " "); j++) {
			iface_label(&l, p, &p->containers[i].ifaces[j]);
			snprintf(a, sizeof(a), "c%zu", i);
			snprintf(b, sizeof(b), "n%zu", p->containers[i].ifaces[j].network);
			o->edge(s, a, b, false, label_done(&l));
			free(l.buf);
		}
	for (size_t i = 0; i < p->n_links && label_open(&l, o->sep); i++) {
		link_label(&l, &p->links[i]);
		snprintf(a, sizeof(a), "c%zu", p->links[i].end[0].container);
		snprintf(b, sizeof(b), "c%zu", p->links[i].end[1].container);
		o->edge(s, a, b, true, label_done(&l));
		free(l.buf);
	}
	o->tail(s);
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

static void dot_head(struct sink *s, const struct project *p)
{
	FILE *f = s->f;

	fputs("graph ", f);
	dot_str(f, p->name);
	fputs(" {\n  graph [rankdir=LR, fontname=\"Helvetica\"];\n"
	      "  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n", f);
}

static void dot_node(struct sink *s, char id, size_t i, const char *label)
{
	fprintf(s->f, "  %c%zu [shape=box, style=%s, label=", id, i,
		id == 'n' ? "\"rounded,filled\", fillcolor=\"#e8f0fe\"" : "filled, fillcolor=\"#fff4e0\"");
	dot_str(s->f, label);
	fputs("];\n", s->f);
}

static void nothing(struct sink *s)
{
	(void)s;
}

static void dot_edge(struct sink *s, const char *a, const char *b, bool link, const char *label)
{
	FILE *f = s->f;

	fprintf(f, "  %s -- %s [label=", a, b);
	dot_str(f, label);
	fputs(link ? ", style=bold];\n" : "];\n", f);
}

static void dot_tail(struct sink *s)
{
	FILE *f = s->f;

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

static void mermaid_head(struct sink *s, const struct project *p)
{
	FILE *f = s->f;

	fprintf(f, "graph LR\n  %%%% project %s\n", p->name);
}

/* A network is a stadium, n3(["..."]); a container a box, c0["..."]. */
static void mermaid_node(struct sink *s, char id, size_t i, const char *label)
{
	fprintf(s->f, "  %c%zu%s", id, i, id == 'n' ? "([" : "[");
	mermaid_str(s->f, label);
	fputs(id == 'n' ? "])\n" : "]\n", s->f);
}

static void mermaid_edge(struct sink *s, const char *a, const char *b, bool link, const char *label)
{
	FILE *f = s->f;

	fprintf(f, "  %s %s|", a, link ? "===" : "---");
	mermaid_str(f, label);
	fprintf(f, "| %s\n", b);
}


/* ---- JSON: {"project": ..., "nodes": [{id, kind, label}], "edges": [{from, to, kind, label}]} ---- */

static void json_head(struct sink *s, const struct project *p)
{
	s->doc = json_pack("{s:o, s:[], s:[]}", "project", json_text(p->name), "nodes", "edges");
	s->nodes = json_object_get(s->doc, "nodes");
	s->edges = json_object_get(s->doc, "edges");
}

static void json_node(struct sink *s, char id, size_t i, const char *label)
{
	const char *kind = id == 'n' ? "network" : "container";
	char ref[24];

	snprintf(ref, sizeof(ref), "%c%zu", id, i);
	json_array_append_new(s->nodes, json_pack("{s:s, s:s, s:o}", "id", ref, "kind", kind, "label", json_text(label)));
}

static void json_edge(struct sink *s, const char *a, const char *b, bool link, const char *label)
{
	json_array_append_new(s->edges, json_pack("{s:s, s:s, s:s, s:o}", "from", a, "to", b, "kind",
						  link ? "link" : "interface", "label", json_text(label)));
}

/* The document, once every node and edge is in (a part that failed to build: no document, no output) */
static void json_tail(struct sink *s)
{
	json_print(s->f, s->doc);
}

static const struct graph_out formats[] = {
	[GRAPH_DOT] = { dot_head, dot_node, dot_edge, dot_tail, "\\n" },
	[GRAPH_MERMAID] = { mermaid_head, mermaid_node, mermaid_edge, nothing, "<br/>" },
	[GRAPH_JSON] = { json_head, json_node, json_edge, json_tail, "\n" },
};

void graph_print(FILE *f, const struct project *p, enum graph_format format)
{
	struct sink s = { .f = f };

	walk(&s, p, &formats[format]);
}
