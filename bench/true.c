/* SPDX-License-Identifier: MIT */
/* bench/true.c: a static `true` for bench/floor's containers (built with -static). */
int main(void)
{
	return 0;
}
