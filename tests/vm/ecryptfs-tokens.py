#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Make the two eCryptfs passphrase auth tokens of a legacy private mount
with Debian's ecryptfs-utils itself (libecryptfs), as
ecryptfs-add-passphrase --fnek makes them: the data key with the default
salt 0011223344556677, the filename key with the ASCII salt "99887766".
The host kernel needs no eCryptfs for this: nothing touches a keyring.

Usage: ecryptfs-tokens.py PASSPHRASE OUT
OUT gets the data token at offset 0, the filename token at 1024 (740
bytes each) and the line "TIECR <sig> <fnek sig>" at 2048.
"""
import ctypes
import sys

TOKEN_LEN = 740  # sizeof(struct ecryptfs_auth_tok)


def token(lib, salt, passphrase):
    tok = ctypes.c_void_p()
    sig = ctypes.create_string_buffer(17)
    fekek = ctypes.create_string_buffer(64)
    ret = lib.ecryptfs_generate_passphrase_auth_tok(
        ctypes.byref(tok), sig, fekek, ctypes.c_char_p(salt), passphrase)
    if ret:
        sys.exit(f"ecryptfs_generate_passphrase_auth_tok: {ret}")
    return ctypes.string_at(tok, TOKEN_LEN), sig.value.decode()


def main():
    passphrase, out = sys.argv[1].encode(), sys.argv[2]
    lib = ctypes.CDLL("libecryptfs.so.1")
    data, sig = token(lib, bytes.fromhex("0011223344556677"), passphrase)
    fnek, fsig = token(lib, b"99887766", passphrase)
    with open(out, "wb") as f:
        f.write(data.ljust(1024, b"\0") + fnek.ljust(1024, b"\0"))
        f.write(f"TIECR {sig} {fsig}\n".encode().ljust(1024, b"\0"))


if __name__ == "__main__":
    main()
