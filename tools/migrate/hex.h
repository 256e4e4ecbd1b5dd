/* SPDX-License-Identifier: GPL-2.0 */
/* Hex encoding of key bytes, in constant time. */
#ifndef TI_HEX_H
#define TI_HEX_H

#include <stddef.h>

/* Write 2 * len lowercase hex digits and a NUL to out. */
void hex_encode(char *out, const unsigned char *in, size_t len);
/*
 * Decode len hex digits (len even) at in to len / 2 bytes at out.
 * 0, or -1 on a non-hex character or an odd length.
 */
int hex_decode(unsigned char *out, const char *in, size_t len);
/* 1 when the len bytes at s are all hex digits. */
int hex_only(const char *s, size_t len);

#endif /* TI_HEX_H */
