#include "common/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int reserve(r5g_str *b, size_t extra)
{
    if (b->oom)
        return -1;
    if (b->n + extra + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->n + extra + 1) {
        if (cap > ((size_t)-1) / 2) {
            b->oom = 1;
            return -1;
        }
        cap *= 2;
    }
    char *s = realloc(b->s, cap);
    if (!s) {
        b->oom = 1;
        return -1;
    }
    b->s = s;
    b->cap = cap;
    return 0;
}

void r5g_str_vappendf(r5g_str *b, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int need = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (need < 0) {
        b->oom = 1;
        return;
    }
    if (reserve(b, (size_t)need))
        return;
    vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
    b->n += (size_t)need;
}

void r5g_str_appendf(r5g_str *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    r5g_str_vappendf(b, fmt, ap);
    va_end(ap);
}

void r5g_str_appendn(r5g_str *b, const char *text, size_t n)
{
    if (reserve(b, n))
        return;
    memcpy(b->s + b->n, text, n);
    b->n += n;
    b->s[b->n] = '\0';
}

void r5g_str_append(r5g_str *b, const char *text)
{
    if (text)
        r5g_str_appendn(b, text, strlen(text));
}

void r5g_str_append_xml(r5g_str *b, const char *t)
{
    for (; t && *t; t++) {
        switch (*t) {
        case '&': r5g_str_append(b, "&amp;"); break;
        case '<': r5g_str_append(b, "&lt;"); break;
        case '>': r5g_str_append(b, "&gt;"); break;
        case '"': r5g_str_append(b, "&quot;"); break;
        case '\'': r5g_str_append(b, "&#39;"); break;
        default: r5g_str_appendn(b, t, 1);
        }
    }
}

void r5g_str_append_json(r5g_str *b, const char *t)
{
    r5g_str_append(b, "\"");
    for (; t && *t; t++) {
        unsigned char c = (unsigned char)*t;
        if (c == '"' || c == '\\')
            r5g_str_appendf(b, "\\%c", c);
        else if (c == '\n')
            r5g_str_append(b, "\\n");
        else if (c == '\t')
            r5g_str_append(b, "\\t");
        else if (c == '\r')
            r5g_str_append(b, "\\r");
        else if (c < 0x20)
            r5g_str_appendf(b, "\\u%04x", c);
        else
            r5g_str_appendn(b, t, 1);
    }
    r5g_str_append(b, "\"");
}

void r5g_str_append_shell(r5g_str *b, const char *t)
{
    static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                               "0123456789@%+=:,./-_";
    if (t && *t && strspn(t, safe) == strlen(t)) {
        r5g_str_append(b, t);
        return;
    }
    r5g_str_append(b, "'");
    for (; t && *t; t++) {
        if (*t == '\'')
            r5g_str_append(b, "'\\''");
        else
            r5g_str_appendn(b, t, 1);
    }
    r5g_str_append(b, "'");
}

const char *r5g_str_text(const r5g_str *b)
{
    if (b->oom)
        return NULL;
    return b->s ? b->s : "";
}

char *r5g_str_finish(r5g_str *b)
{
    char *s = b->oom ? NULL : b->s ? b->s : calloc(1, 1);
    if (b->oom)
        free(b->s);
    *b = (r5g_str)R5G_STR_INIT;
    return s;
}

void r5g_str_dispose(r5g_str *b)
{
    free(b->s);
    *b = (r5g_str)R5G_STR_INIT;
}
