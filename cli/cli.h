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

/* A verb of one operand and no option but -h; its main is cli_one_operand, which calls one(operand,
 * stdout, err). */
struct cli_one_verb {
	struct cli_verb verb;
	const char *operand;	/* "IMAGE" */
	int (*one)(const char *operand, FILE *out, struct ce_error *err);
};

/* A verb of no operand and one flag beside -h (options: its one, cli_flag_option); its main is
 * cli_flag_main, which calls run(whether the flag was given, stdout, err). */
struct cli_flag_verb {
	struct cli_verb verb;
	const struct cli_options *options;
	int (*run)(bool flag, FILE *out, struct ce_error *err);
};

extern const struct cli_verb cli_up, cli_down, cli_ps, cli_exec, cli_logs, cli_run, cli_check, cli_test,
	cli_graph, cli_gc, cli_doctor, cli_export;
extern const struct cli_one_verb cli_pull, cli_rmi;
extern const struct cli_flag_verb cli_prune, cli_images;

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
	char optstring[40];	/* "-:" + shorts + "p:": in order, errors reported by us */
	struct option all[32];	/* longs + --project */
};

/* Entries of a verb's longs: an option with a value, one without, and --help with the zero entry that ends them. */
#define CLI_VALUE(name, code) { name, required_argument, NULL, code }
#define CLI_FLAG(name, code) { name, no_argument, NULL, code }
#define CLI_HELP_END CLI_FLAG("help", 'h'), { NULL, 0, NULL, 0 }

#define CLI_OPERAND 1	/* cli_next(): argv[a->operand] is an operand */
#define CLI_LONG_ONLY 256	/* first val of a long option without a short one */

void cli_args_init(struct cli_args *a, const struct cli_verb *v, int argc, char **argv, const char *shorts,
		   const struct option *longs);
/* The next option's code (value in optarg), CLI_OPERAND, '?' or ':' for an unknown option or one
 * without its value (pass it to cli_option_error()), -1 at the end. -p NAME / --project NAME,
 * which every verb takes, is read here: cli_load() and cli_project_name() then give that project. */
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
/* cli_read of a verb whose one operand is FILE, then cli_load of it: CLI_GO_ON with *p (and *file
 * unless file is NULL) set, or the status to return (CLI_BAD_INPUT after FILE's one line). */
int cli_read_file(const struct cli_verb *v, int argc, char **argv, const struct cli_options *o, void *ctx,
		  const char **file, struct project **p);
/* cli_args_init and cli_parse in one, for a verb that needs no walk of its own. */
int cli_read(const struct cli_verb *v, int argc, char **argv, const struct cli_options *o, void *ctx,
	     struct cli_operands *ops);

/* --json, for verbs whose only option of their own it is: its code, and the cli_option_fn that sets
 * *(bool *)ctx (any other code: cli_option_error). */
#define CLI_OPT_JSON CLI_LONG_ONLY
int cli_json_option(struct cli_args *a, int code, void *ctx);

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

/* Load FILE (as -p's project if given): 0, or -1 after its one line "FILE:LINE: setting: why"
 * (bad input). */
int cli_load(const char *file, struct project **p);
/* The project of FILE|PROJECT (-p's if given) into project[CE_PROJECT_MAX + 1]: 0, or -1 after
 * one line (bad input). */
int cli_project_name(const char *target, char *project);
/* -p NAME as given (checked by cli_load and cli_project_name), or NULL. */
const char *cli_project(void);
/* up.c: bring p up as `cengine up` does (it must fit this host first): CLI_OK, CLI_BAD_INPUT
 * after its one line "FILE:LINE: setting: why", CLI_FAILED (everything made removed again). */
struct up_opts;
int cli_bring_up(struct project *p, const struct up_opts *o);
/* The options of a verb that has none but -h; of one that has --json and -h (ctx: a bool). */
extern const struct cli_options cli_no_options, cli_json_options;
/* The main of a struct cli_flag_verb: its run(flag, stdout, err); its failure as cli_fail(). */
int cli_flag_main(const struct cli_verb *v, int argc, char **argv);
/* The cli_option_fn of a verb with one option of its own (a flag): sets *(bool *)ctx. */
int cli_flag_option(struct cli_args *a, int code, void *ctx);
/* The main of a struct cli_one_verb: its one(operand, stdout, err); its failure as cli_fail(). */
int cli_one_operand(const struct cli_verb *v, int argc, char **argv);
/* err as "cengine: msg" on stderr; CLI_FAILED. */
int cli_fail(const struct ce_error *err);
