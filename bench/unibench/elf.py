"""Just enough of the ELF64 format (System V gABI) to size an image and to
tell whether a kernel can be booted by PVH."""
import struct

PT_LOAD = 1
PT_INTERP = 3
PT_NOTE = 4
XEN_ELFNOTE_PHYS32_ENTRY = 18  # the PVH entry point, in a "Xen" note


def _program_headers(data):
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return None  # not a little-endian ELF64
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    headers = []
    for i in range(phnum):
        kind, _, offset, _, _, filesz, memsz, _ = struct.unpack_from(
            "<IIQQQQQQ", data, phoff + i * phentsize)
        headers.append((kind, offset, filesz, memsz))
    return headers


def _read(path):
    with open(path, "rb") as f:
        return f.read()


def loaded_size(path):
    """Bytes of memory the loader maps (PT_LOAD memsz, .bss included), or
    None for a file that is not ELF64."""
    headers = _program_headers(_read(path))
    if headers is None:
        return None
    return sum(memsz for kind, _, _, memsz in headers if kind == PT_LOAD)


def is_static(path):
    """True for an ELF64 executable that asks for no program interpreter."""
    headers = _program_headers(_read(path))
    return headers is not None and all(h[0] != PT_INTERP for h in headers)


def has_pvh_entry(data):
    """True when the ELF image data carries a PVH entry point note."""
    headers = _program_headers(data) or []
    for kind, offset, filesz, _ in headers:
        if kind != PT_NOTE:
            continue
        at, end = offset, offset + filesz
        while at + 12 <= end:
            namesz, descsz, note = struct.unpack_from("<III", data, at)
            name = data[at + 12:at + 12 + namesz].rstrip(b"\0")
            if name == b"Xen" and note == XEN_ELFNOTE_PHYS32_ENTRY:
                return True
            at += 12 + (namesz + 3) // 4 * 4 + (descsz + 3) // 4 * 4
    return False
