/* A growing string with a sticky error, as SQLite's sqlite3_str: appends
 * never fail loudly; after an allocation failure every later append is a
 * no-op and r5g_str_finish returns NULL. Never truncates silently. */
#ifndef R5G_STRBUF_H
#define R5G_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct r5g_str {
    char *s;    /* NUL-terminated once anything was appended; may be NULL */
    size_t n;   /* length */
    size_t cap; /* allocated bytes */
    int oom;    /* sticky: an allocation failed */
} r5g_str;

#define R5G_STR_INIT {NULL, 0, 0, 0}

void r5g_str_appendf(r5g_str *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void r5g_str_vappendf(r5g_str *b, const char *fmt, va_list ap);
void r5g_str_append(r5g_str *b, const char *text);
void r5g_str_appendn(r5g_str *b, const char *text, size_t n);
/* Appends text with &, <, >, " and ' as XML/HTML entities. */
void r5g_str_append_xml(r5g_str *b, const char *text);
/* Appends text as a JSON string, quotes included. */
void r5g_str_append_json(r5g_str *b, const char *text);
/* Appends text quoted for a POSIX shell when it needs quoting. */
void r5g_str_append_shell(r5g_str *b, const char *text);
/* The text so far ("" when empty), valid until the next append; NULL after an error. */
const char *r5g_str_text(const r5g_str *b);
/* Hands the text over (malloc'd; "" when empty) and resets b; NULL after an error. */
char *r5g_str_finish(r5g_str *b);
/* Frees the text and resets b. */
void r5g_str_dispose(r5g_str *b);

#endif
