/* SPDX-License-Identifier: MIT */
/* escape.c: one UTF-8 decoder, two forms of untrusted text: for a terminal (\xNN) and valid UTF-8 for JSON (U+FFFD). */
#include "util/escape.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (1 to 4) and its code point, or 0 when the byte at s
 * does not start one (a stray continuation byte, an overlong form, a surrogate, above
 * U+10FFFF, or cut short). */
static size_t utf8_char(const unsigned char *s, uint32_t *cp)
{
	static const struct { unsigned char lead_min, lead_max, second_min, second_max; size_t len; } forms[] = {
		{ 0x00, 0x7f, 0, 0, 1 },	 { 0xc2, 0xdf, 0x80, 0xbf, 2 }, { 0xe0, 0xe0, 0xa0, 0xbf, 3 },
		{ 0xe1, 0xec, 0x80, 0xbf, 3 }, { 0xed, 0xed, 0x80, 0x9f, 3 }, { 0xee, 0xef, 0x80, 0xbf, 3 },
		{ 0xf0, 0xf0, 0x90, 0xbf, 4 }, { 0xf1, 0xf3, 0x80, 0xbf, 4 }, { 0xf4, 0xf4, 0x80, 0x8f, 4 },
	};

	for (size_t f = 0; f < sizeof(forms) / sizeof(*forms); f++) {
		size_t len = forms[f].len;

		if (s[0] < forms[f].lead_min || s[0] > forms[f].lead_max)
			continue;
		if (len > 1 && (s[1] < forms[f].second_min || s[1] > forms[f].second_max))
			return 0;
		for (size_t i = 2; i < len; i++)
			if ((s[i] & 0xc0) != 0x80)
				return 0;
		*cp = len == 1 ? s[0] : s[0] & (0xff >> (len + 1));
		for (size_t i = 1; i < len; i++)
			*cp = *cp << 6 | (s[i] & 0x3f);
		return len;
	}
	return 0;
}

static bool is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

char *escape_text(const char *s, char *out, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *c = (const unsigned char *)s;
	size_t o = 0;

	while (*c) {
		uint32_t cp = 0;
		size_t n = utf8_char(c, &cp);
		bool esc = !n || is_control(cp);
		size_t need = esc ? 4 * (n ? n : 1) : n;

		if (o + need >= len)
			break;
		for (size_t i = 0; i < (n ? n : 1); i++, c++)
			if (esc) {
				out[o++] = '\\', out[o++] = 'x';
				out[o++] = hex[*c >> 4], out[o++] = hex[*c & 15];
			} else {
				out[o++] = (char)*c;
			}
	}
	out[o] = '\0';
	return out;
}

void escape_text_inplace(char *s, size_t len)
{
	char copy[len];

	memcpy(copy, s, len);
	copy[len - 1] = '\0';
	escape_text(copy, s, len);
}

char *escape_utf8(const char *s)
{
	const unsigned char *c = (const unsigned char *)s;
	char *out = malloc(3 * strlen(s) + 1), *o = out;	/* at worst each byte becomes U+FFFD */

	if (!out)
		return NULL;
	while (*c) {
		uint32_t cp = 0;
		size_t n = utf8_char(c, &cp);

		if (n)
			memcpy(o, c, n), o += n, c += n;
		else
			memcpy(o, "\xef\xbf\xbd", 3), o += 3, c++;
	}
	*o = '\0';
	return out;
}

void escape_xml(FILE *f, const char *s)
{
	size_t len = 4 * strlen(s) + 1;
	char *text = malloc(len);

	if (!text)
		return;
	escape_text(s, text, len);	/* no control character or byte that is not UTF-8 is left */
	for (const char *c = text; *c; c++)
		switch (*c) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default: fputc(*c, f);
		}
	free(text);
}

void escape_yaml(FILE *f, const char *s)
{
	const unsigned char *c = (const unsigned char *)(s ? s : "");

	fputc('"', f);
	while (*c) {
		uint32_t cp = 0;
		size_t n = utf8_char(c, &cp);

		if (!n)
			fputs("\\ufffd", f);
		else if (cp == '"' || cp == '\\')
			fprintf(f, "\\%c", (int)cp);
		else if (cp == '\n')
			fputs("\\n", f);
		else if (is_control(cp) || cp == 0x2028 || cp == 0x2029 || cp == 0xfeff || cp == 0xfffe || cp == 0xffff)
			fprintf(f, "\\u%04x", (unsigned)cp);
		else
			fwrite(c, 1, n, f);
		c += n ? n : 1;
	}
	fputc('"', f);
}

bool escape_utf8_valid(const char *s, size_t len)
{
	const unsigned char *c = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		uint32_t cp = 0;
		size_t n = c[i] ? utf8_char(c + i, &cp) : 0;

		if (!n || i + n > len)
			return false;
		i += n;
	}
	return true;
}
