#!/usr/bin/python3
"""Write the lab's deterministic data-disk tree into DIR (argv[1]).
firmware.bin: 6 MiB of SHA-256 counter-mode pseudo-random bytes (stable forever)."""
import hashlib, os, sys

d = sys.argv[1]
os.makedirs(d, exist_ok=True)


def prng(seed, n):
    out = bytearray()
    i = 0
    while len(out) < n:
        out += hashlib.sha256(b"%s:%d" % (seed, i)).digest()
        i += 1
    return bytes(out[:n])


files = {
    "firmware.bin": prng(b"pcsleuth-firmware", 6 << 20),
    "small.bin": prng(b"pcsleuth-small", 10 * 1024 + 123),
    "README.txt": b"pcsleuth lab data disk: firmware.bin is the file the stray writer hits.\n",
    "config.ini": b"[upgrade]\nimage=/data/firmware.bin\nverify=md5\n",
}
for name, data in files.items():
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)
