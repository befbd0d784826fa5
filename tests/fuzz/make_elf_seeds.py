#!/usr/bin/env python3
"""Write the ELF loader target's seed corpus (tests/fuzz/corpus-elf/): small
kvm images as the linker makes them (ELF64, x86_64, PT_LOAD segments at
0x20000 and up, entry in the executable one), with and without a symbol
table, so mutations start from what the loader accepts. Run it again after
changing the images below; the files are kept in the tree."""
import os
import struct

BASE = 0x20000
PF_X, PF_W, PF_R = 1, 2, 4
PT_LOAD, PT_NOTE = 1, 4
SHT_SYMTAB, SHT_STRTAB = 2, 3
STT_FUNC = 2


def image(segments, entry, symbols=None):
    """segments: [(addr, flags, bytes, extra bss)]; symbols: {name: (addr,
    size)} for a .symtab and .strtab."""
    phoff = 64
    body = phoff + 56 * len(segments)
    data, phdrs = b"", b""
    for addr, flags, content, bss in segments:
        offset = body + len(data)
        phdrs += struct.pack("<IIQQQQQQ", PT_LOAD, flags, offset, addr, addr,
                             len(content), len(content) + bss, 0x1000)
        data += content
    shoff, shnum, sections = 0, 0, b""
    if symbols:
        strtab = b"\0"
        symtab = b"\0" * 24
        for name, (addr, size) in symbols.items():
            symtab += struct.pack("<IBBHQQ", len(strtab), STT_FUNC, 0, 1,
                                  addr, size)
            strtab += name.encode() + b"\0"
        sym_at = body + len(data)
        str_at = sym_at + len(symtab)
        data += symtab + strtab
        shoff = body + len(data)
        shnum = 3
        sections = (b"\0" * 64
                    + struct.pack("<IIQQQQIIQQ", 0, SHT_SYMTAB, 0, 0, sym_at,
                                  len(symtab), 2, 1, 8, 24)
                    + struct.pack("<IIQQQQIIQQ", 0, SHT_STRTAB, 0, 0, str_at,
                                  len(strtab), 0, 0, 1, 0))
    header = (b"\x7fELF\x02\x01\x01" + b"\0" * 9
              + struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, entry, phoff, shoff,
                            0, 64, 56, len(segments), 64, shnum, 0))
    return header + phdrs + data + sections


TEXT = b"\xf4" * 16 + b"\xeb\xfe"  # hlt ..., jmp .
SEEDS = {
    "one_segment": image([(BASE, PF_R | PF_X, TEXT, 0)], BASE),
    "text_data_bss": image([(BASE, PF_R | PF_X, TEXT, 0),
                            (BASE + 0x1000, PF_R | PF_W, b"\1" * 32, 4096)],
                           BASE + 4),
    "with_symbols": image([(BASE, PF_R | PF_X, TEXT, 0)], BASE,
                          {"_start": (BASE, 4), "ul_main": (BASE + 4, 14)}),
}


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "corpus-elf")
    os.makedirs(out, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(out, name + ".elf"), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
