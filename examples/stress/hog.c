/* SPDX-License-Identifier: MIT */
/* hog.c: the tutorial's memory hog: allocate and touch MB megabytes of anonymous memory, then hold it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MB (1024 * 1024)

/* hog MB [SECONDS]: prints "allocated N MB" every 10 MB, "holding N MB" at the end. */
int main(int argc, char **argv)
{
	long want = argc > 1 ? atol(argv[1]) : 100;
	int hold = argc > 2 ? atoi(argv[2]) : 3600;

	if (want <= 0) {
		fprintf(stderr, "usage: hog MB [SECONDS]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	for (long i = 1; i <= want; i++) {
		char *p = malloc(MB);

		if (!p) {
			printf("malloc failed after %ld MB\n", i - 1);
			return 1;
		}
		memset(p, (int)i, MB);	/* touch every page: anonymous, resident */
		if (i % 10 == 0)
			printf("allocated %ld MB\n", i);
	}
	printf("holding %ld MB\n", want);
	sleep((unsigned)hold);
	return 0;
}
