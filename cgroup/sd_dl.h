/* SPDX-License-Identifier: MIT */
/* cgroup/sd_dl.h: libsystemd's sd-bus, opened with dlopen() the first time a project goes into a systemd scope. */
#pragma once

#include <systemd/sd-bus.h>

#include "util/error.h"
#include "util/lib_dl.h"

/* The sd-bus functions cengine calls, each as lib_dl_<name> once sd_dl_load() succeeded. */
#define SD_DL_FUNCTIONS(F) \
	F(sd_bus_open_system) \
	F(sd_bus_flush_close_unref) \
	F(sd_bus_message_new_method_call) \
	F(sd_bus_message_append) \
	F(sd_bus_message_open_container) \
	F(sd_bus_message_close_container) \
	F(sd_bus_message_read) \
	F(sd_bus_message_unref) \
	F(sd_bus_call) \
	F(sd_bus_match_signal) \
	F(sd_bus_slot_unref) \
	F(sd_bus_process) \
	F(sd_bus_wait) \
	F(sd_bus_error_free) \
	F(sd_bus_error_has_name)

SD_DL_FUNCTIONS(LIB_DL_EXTERN)

/* 0 once libsystemd is loaded; -1 with what to install in err. */
int sd_dl_load(struct ce_error *err);
