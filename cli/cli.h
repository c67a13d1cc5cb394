/* SPDX-License-Identifier: MIT */
/* cli.h: the verbs of the command line, the exit statuses they return and what they share to read argv. */
#pragma once

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "model/project.h"
#include "util/error.h"

/* What a verb returns and cengine exits with (see EXIT STATUS in cengine(1)); exec and run return
 * their command's status (0..255) instead once the command ran. */
enum cli_status {
	CLI_OK = 0,
	CLI_FAILED = 1,		/* an operation failed: one line "cengine: what: why" */
	CLI_BAD_INPUT = 2,	/* bad arguments, a bad file, a file that does not fit this host; nothing made */
};

/* One verb: `cengine NAME ...` calls main(verb, argc, argv) with argv[0] = NAME. */
struct cli_verb {
	const char *name;
	int (*main)(const struct cli_verb *v, int argc, char **argv);
	const char *usage;	/* one line, "cengine down FILE|PROJECT [--timeout SECONDS]" */
	const char *help;	/* what --help prints after the usage line */
};

extern const struct cli_verb cli_up, cli_down, cli_ps, cli_exec, cli_logs, cli_run, cli_check, cli_prune, cli_pull,
	cli_images, cli_rmi, cli_export;

/* A walk over one verb's argv in order with getopt_long: options and operands may be mixed (`down
 * FILE --timeout 1`), "--" ends the options (what follows are operands, even "-x"). shorts is
 * getopt's string of short options, e.g. "t:h"; longs ends with a zero entry. */
struct cli_args {
	const struct cli_verb *verb;
	int argc;
	char **argv;
	const char *shorts;
	const struct option *longs;
	bool rest;		/* "--" was seen */
	int operand;		/* after CLI_OPERAND: its index in argv */
	char optstring[40];	/* "-:" + shorts: in order, errors reported by us */
};

#define CLI_OPERAND 1	/* cli_next(): argv[a->operand] is an operand */
#define CLI_LONG_ONLY 256	/* first val of a long option without a short one */

void cli_args_init(struct cli_args *a, const struct cli_verb *v, int argc, char **argv, const char *shorts,
		   const struct option *longs);
/* The next option's code (value in optarg), CLI_OPERAND, '?' or ':' for an unknown option or one
 * without its value (pass it to cli_option_error()), -1 at the end. */
int cli_next(struct cli_args *a);

/* The operands a verb takes, in order: names[0..max), the first min of them required. */
struct cli_operands {
	const char *const *names;	/* { "FILE|PROJECT", "NAME" } */
	size_t min, max;
	const char *v[2];		/* what was given */
	size_t n;
};
/* The operands NAME... of which the first min are required: CLI_OPERANDS(1, "FILE|PROJECT", "NAME"). */
#define CLI_OPERANDS(min, ...)										\
	{ (const char *const[]){ __VA_ARGS__ }, (min),							\
	  sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *), { NULL }, 0 }
#define CLI_GO_ON (-1)	/* cli_parse(): every option and operand read; the verb goes on */
/* One option code of the verb's own (not -h, operands or errors): CLI_GO_ON, or a status to return. */
typedef int (*cli_option_fn)(struct cli_args *a, int code, void *ctx);
/* Read argv to its end: -h prints the help, operands fill ops (too many or too few: one usage line),
 * every other option goes to opt (NULL: the verb has none). CLI_GO_ON, or the status to return. */
int cli_parse(struct cli_args *a, cli_option_fn opt, void *ctx, struct cli_operands *ops);
/* A verb's options: getopt's short ones ("t:h"), the long ones (ending with a zero entry), and the
 * function that takes the verb's own (NULL: -h only). */
struct cli_options {
	const char *shorts;
	const struct option *longs;
	cli_option_fn fn;
};
/* cli_args_init and cli_parse in one, for a verb that needs no walk of its own. */
int cli_read(const struct cli_verb *v, int argc, char **argv, const struct cli_options *o, void *ctx,
	     struct cli_operands *ops);

/* --help: the usage line and the help text on stdout; CLI_OK. */
int cli_help(const struct cli_verb *v);
/* One line "cengine: VERB: unknown option '--x'; usage: ..." for cli_next()'s '?' or ':'; CLI_BAD_INPUT. */
int cli_option_error(const struct cli_args *a, int code);
/* One line "cengine: VERB: why; usage: USAGE" on stderr; CLI_BAD_INPUT. */
int cli_usage_error(const struct cli_verb *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* One line "cengine: VERB: OPTION: why" on stderr; CLI_BAD_INPUT. */
int cli_value_error(const struct cli_verb *v, const char *option, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* optarg as a number from min to max (util/num.h), what = "a number of seconds": 0, or -1
 * after "cengine: VERB: OPTION: 'abc' is not a number of seconds" (the verb then returns CLI_BAD_INPUT). */
int cli_long(const struct cli_verb *v, const char *option, const char *what, long min, long max, long *out);
int cli_double(const struct cli_verb *v, const char *option, const char *what, double min, double max,
	       double *out);

/* Load FILE: 0, or -1 after its one line "FILE:LINE: setting: why" (bad input). */
int cli_load(const char *file, struct project **p);
/* The project of FILE|PROJECT into project[CE_PROJECT_MAX + 1]: 0, or -1 after one line (bad input). */
int cli_project_name(const char *target, char *project);
/* A verb of one operand (names[0]) and no option but -h: fn(operand, stdout, err); its failure
 * as cli_fail(). */
int cli_one_operand(const struct cli_verb *v, int argc, char **argv, const char *name,
		    int (*fn)(const char *operand, FILE *out, struct ce_error *err));
/* err as "cengine: msg" on stderr; CLI_FAILED. */
int cli_fail(const struct ce_error *err);
