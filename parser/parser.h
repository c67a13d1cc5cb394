/* SPDX-License-Identifier: MIT */
/* parser.h: load and validate a .conf file into a struct project. */
#pragma once

#include <libconfig.h>
#include <stdio.h>

#include "model/project.h"
#include "util/error.h"

/* Read FILE with libconfig, apply defaults, validate everything that can be
 * checked without touching the host (names, addresses, limits, rootfs
 * existence). On error returns -1 and err->msg is exactly one line of the
 * form "FILE:LINE: setting.path: what is wrong". */
int parser_load(const char *file, struct project **out, struct ce_error *err);
/* parser_load() as project `project` (-p NAME, a valid project name), whatever the file's `name`
 * says: bridges, veths, cgroups and state are then that project's. NULL: as parser_load(). */
int parser_load_as(const char *file, const char *project, struct project **out, struct ce_error *err);

/* The same loader and checks over a config built in memory (config_setting_add(), as `cengine
 * run` makes one from its flags): no file, so an error is one line "PATH: what is wrong"; a
 * relative rootfs is taken relative to dir. */
int parser_load_config(const config_t *cfg, const char *dir, struct project **out, struct ce_error *err);

/* Print the resolved plan (what `cengine check` shows): each key's printer, in the
 * order of the key tables, shows what the key put into the project. -1 with errno
 * ENOMEM when a container's lines found no memory (the plan printed is then short). */
int parser_print_plan(const struct project *p, FILE *out);

/* `check --json`: the settings of FILE (read again, includes and all; p is what parser_load made of
 * it) as one JSON object with the file's own keys and structure, "name" the project's (the file's,
 * its file name's or -p's): what docs/cengine.schema.json describes. -1 with err set. */
int parser_print_json(const char *file, const struct project *p, FILE *out, struct ce_error *err);
/* `check --keys`: "GROUP KEY" (plus " container-only") for every key of every table, in table
 * order: what the schema test compares docs/cengine.schema.json with. */
void parser_print_keys(FILE *out);
