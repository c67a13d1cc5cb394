/* SPDX-License-Identifier: MIT */
/* stdio.h: put other descriptors in place of our stdin, stdout and stderr for a while, and ours back. */
#pragma once

/* Keep ours in saved[] (close-on-exec copies; one we started without becomes /dev/null on the way
 * back), then make ends[fd] our fd 0, 1 and 2. 0, or -1 with errno set. */
int stdio_swap(const int ends[3], int saved[3]);
/* Our own stdio back from saved[] (entries < 0 are skipped), which is closed and reset to -1. */
void stdio_restore(int saved[3]);
