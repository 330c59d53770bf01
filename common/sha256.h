/* SHA-256 (FIPS 180-4), for the input and scenario checksums in plan_meta. */
#ifndef R5G_SHA256_H
#define R5G_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "common/r5g.h"

typedef struct r5g_sha256 {
    uint32_t h[8];
    uint64_t len;
    unsigned char buf[64];
    size_t nbuf;
} r5g_sha256;

void r5g_sha256_init(r5g_sha256 *c);
void r5g_sha256_update(r5g_sha256 *c, const void *data, size_t n);
/* Writes 64 lowercase hex digits and a NUL into hex[65]. */
void r5g_sha256_hex(r5g_sha256 *c, char hex[65]);
/* Hashes a whole file; err names the path on failure. */
int r5g_sha256_file(char hex[65], const char *path, r5g_err *err);

#endif
