/* SPDX-License-Identifier: MIT */
/* nftnl_dl.h: libnftnl and libmnl, opened with dlopen() the first time down deletes a project's tables. */
#pragma once

#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <libnftnl/table.h>
#include <libnftnl/udata.h>

#include "util/error.h"
#include "util/lib_dl.h"

/* The libmnl functions cengine calls, each as lib_dl_<name> once nftnl_dl_load() succeeded. */
#define MNL_DL_FUNCTIONS(F) \
	F(mnl_cb_run2) \
	F(mnl_nlmsg_batch_current) \
	F(mnl_nlmsg_batch_head) \
	F(mnl_nlmsg_batch_next) \
	F(mnl_nlmsg_batch_size) \
	F(mnl_nlmsg_batch_start) \
	F(mnl_nlmsg_batch_stop) \
	F(mnl_nlmsg_get_payload) \
	F(mnl_socket_bind) \
	F(mnl_socket_close) \
	F(mnl_socket_get_fd) \
	F(mnl_socket_get_portid) \
	F(mnl_socket_open2) \
	F(mnl_socket_recvfrom) \
	F(mnl_socket_sendto) \
	F(mnl_socket_setsockopt)

/* The same for libnftnl. */
#define NFTNL_DL_FUNCTIONS(F) \
	F(nftnl_batch_begin) \
	F(nftnl_batch_end) \
	F(nftnl_nlmsg_build_hdr) \
	F(nftnl_table_alloc) \
	F(nftnl_table_free) \
	F(nftnl_table_get_data) \
	F(nftnl_table_nlmsg_build_payload) \
	F(nftnl_table_nlmsg_parse) \
	F(nftnl_table_set_str) \
	F(nftnl_udata_get) \
	F(nftnl_udata_len) \
	F(nftnl_udata_parse) \
	F(nftnl_udata_type)

MNL_DL_FUNCTIONS(LIB_DL_EXTERN)
NFTNL_DL_FUNCTIONS(LIB_DL_EXTERN)

/* 0 once libmnl and libnftnl are loaded; -1 with what to install in err. */
int nftnl_dl_load(struct ce_error *err);
