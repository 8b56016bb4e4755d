#!/usr/bin/python3
"""Usage: elfcheck.py VMCORE...
Checks that an ELF vmcore is whole: every program header's data and every section's data lies
inside the file, and the PT_NOTE segments parse into notes that fill them exactly. Prints one
line naming the first problem and exits 1, else exits 0 silently.
Found on QEMU 7.2's dump-guest-memory of an arm64 guest whose two vCPUs had different SVE vector
lengths at the panic: it sizes every CPU's NT_ARM_SVE note for one length and writes each with
its own, so the notes come out shorter than their header says and every later offset is off."""
import struct
import sys


def check(path):
    with open(path, "rb") as f:
        size = f.seek(0, 2)
        f.seek(0)
        eh = f.read(64)
        if len(eh) < 64 or eh[:4] != b"\x7fELF" or eh[4] != 2:
            return "not a 64-bit ELF file"
        e = "<" if eh[5] == 1 else ">"
        phoff, shoff = struct.unpack_from(e + "QQ", eh, 0x20)
        phentsize, phnum, shentsize, shnum = struct.unpack_from(e + "HHHH", eh, 0x36)
        if shnum == 0 and shoff:  # more sections than fit: the count is in section 0
            f.seek(shoff)
            shnum = struct.unpack_from(e + "Q", f.read(64), 0x20)[0]
        if phnum == 0xFFFF and shoff:  # PN_XNUM: the real count is section 0's sh_info
            f.seek(shoff)
            phnum = struct.unpack_from(e + "I", f.read(64), 0x2C)[0]
        if phoff + phnum * phentsize > size:
            return "program headers end past the end of the file"
        f.seek(phoff)
        phdrs = [struct.unpack_from(e + "IIQQQQQQ", f.read(phentsize)) for _ in range(phnum)]
        for i, (ptype, _, off, _, _, filesz, _, _) in enumerate(phdrs):
            if off + filesz > size:
                return "segment %d ends at %#x, past the end of the file (%#x)" % (i, off + filesz, size)
            if ptype == 4:  # PT_NOTE
                f.seek(off)
                notes, o = f.read(filesz), 0
                while o + 12 <= len(notes):
                    namesz, descsz, _ = struct.unpack_from(e + "III", notes, o)
                    if namesz == 0:  # every core note has a name ("CORE", "LINUX", "VMCOREINFO")
                        return "segment %d has a note without a name at %#x of its %#x bytes" % (i, o, len(notes))
                    o += 12 + ((namesz + 3) & ~3) + ((descsz + 3) & ~3)
                if o != len(notes):
                    return "the notes of segment %d end at %#x of its %#x bytes" % (i, o, len(notes))
        if shoff and shnum:
            if shoff + shnum * shentsize > size:
                return "section headers end past the end of the file"
            f.seek(shoff)
            for i in range(shnum):
                sh = f.read(shentsize)
                stype, off, ssize = struct.unpack_from(e + "I", sh, 4)[0], *struct.unpack_from(e + "QQ", sh, 0x18)
                if stype not in (0, 8) and off + ssize > size:  # SHT_NULL, SHT_NOBITS hold nothing
                    return "section %d ends at %#x, past the end of the file (%#x)" % (i, off + ssize, size)
    return None


rc = 0
for p in sys.argv[1:]:
    why = check(p)
    if why:
        print("%s: malformed ELF vmcore: %s" % (p, why))
        rc = 1
sys.exit(rc)
