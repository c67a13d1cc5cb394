/* SPDX-License-Identifier: MIT */
/* pull.c: `cengine pull FILE|IMAGE`: import an image into the store and unpack it. */
#include "cli/cli.h"

#include <stdio.h>

#include "runtime/verbs/verbs.h"

const struct cli_one_verb cli_pull = {
	{ "pull", cli_one_operand, "cengine pull FILE|IMAGE",
	"Import an image into the store (/var/lib/cengine/images, or $CENGINE_STORE_DIR) and\n"
	"unpack it, as up does for a missing one. IMAGE is an image value of cengine.conf(5):\n"
	"oci:DIR[:REF], oci-archive:FILE[:REF], docker-archive:FILE[:NAME:TAG], or a registry's\n"
	"NAME[:TAG|@DIGEST] / docker://HOST[:PORT]/NAME[...] (always asked again; HTTPS, plain HTTP\n"
	"only on loopback; credentials of podman/docker login, CAs of $SSL_CERT_FILE); a bare FILE\n"
	"is a docker save or OCI archive, a bare directory an OCI layout. One line per layer\n"
	"fetched and unpacked on a terminal, then NAME DIGEST (N layers, SIZE).\n"
	"Exit: 0; 1 the image could not be read, checked or unpacked (nothing of it is kept);\n"
	"2 bad arguments.\n" },
	"FILE|IMAGE", runtime_pull,
};
