/* sha256.h: the spec's fingerprint in generated provenance comments. */
#ifndef PVOPSC_SHA256_H
#define PVOPSC_SHA256_H

#include <stddef.h>

/* hex: 64 lowercase hex digits and a NUL. */
void sha256_hex(const void *data, size_t len, char hex[65]);

#endif
