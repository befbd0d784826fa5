"""Unit tests of the generated baseline images: the initramfs archive, the
vmlinux extraction from a bzImage, and the ELF facts read from them."""
import lzma
import stat
import struct
import tempfile
import unittest
import zlib

from unibench import elf, initramfs, vmlinux


def tiny_elf(loads, pvh=False):
    """An ELF64 header with PT_LOAD segments of the given memsz, and a PVH
    note when asked."""
    note = b""
    if pvh:
        note = struct.pack("<III", 4, 4, elf.XEN_ELFNOTE_PHYS32_ENTRY) \
            + b"Xen\0" + struct.pack("<I", 0x1000000)
    headers = [(elf.PT_LOAD, 0, 0, m) for m in loads]
    if pvh:
        headers.append((elf.PT_NOTE, 0, len(note), len(note)))
    phoff = 64
    body_at = phoff + 56 * len(headers)
    data = bytearray(b"\x7fELF\x02\x01\x01" + b"\0" * 57)
    struct.pack_into("<Q", data, 0x20, phoff)
    struct.pack_into("<HH", data, 0x36, 56, len(headers))
    for kind, _, filesz, memsz in headers:
        offset = body_at if kind == elf.PT_NOTE else 0
        data += struct.pack("<IIQQQQQQ", kind, 0, offset, 0, 0, filesz,
                            memsz, 0)
    return bytes(data + note)


def bzimage(payload):
    """A bzImage around payload: boot protocol 2.15, 1 setup sector."""
    setup_sects = 1
    image = bytearray((setup_sects + 1) * 512)
    image[0x1f1] = setup_sects
    image[0x202:0x206] = b"HdrS"
    struct.pack_into("<H", image, 0x206, 0x20f)
    struct.pack_into("<II", image, 0x248, 16, len(payload))
    return bytes(image + b"\0" * 16 + payload + b"\x11\x22\x33\x44")


class Initramfs(unittest.TestCase):
    def test_round_trip(self):
        data = initramfs.archive({"bin/busybox": b"\x7fELF busybox",
                                  "lib/modules/a.ko": b"module"},
                                 "/bin/busybox echo marker line\n")
        self.assertEqual(len(data) % 512, 0)
        found = {name: (mode, body)
                 for name, mode, body in initramfs.members(data)}
        self.assertEqual(set(found), {"dev", "dev/console", "bin", "lib",
                                      "lib/modules", "bin/busybox",
                                      "lib/modules/a.ko", "init"})
        self.assertTrue(stat.S_ISCHR(found["dev/console"][0]))
        self.assertTrue(stat.S_ISDIR(found["lib/modules"][0]))
        self.assertEqual(found["bin/busybox"][1], b"\x7fELF busybox")
        self.assertEqual(found["lib/modules/a.ko"][1], b"module")
        self.assertEqual(found["init"][1].decode(),
                         "#!/bin/busybox sh\n/bin/busybox echo marker line\n")
        # A directory comes before what is in it, or the kernel cannot
        # create the file.
        names = [name for name, _, _ in initramfs.members(data)]
        self.assertLess(names.index("lib/modules"),
                        names.index("lib/modules/a.ko"))


class Vmlinux(unittest.TestCase):
    kernel = tiny_elf([4096], pvh=True)

    def test_xz_payload(self):
        packed = lzma.compress(self.kernel, format=lzma.FORMAT_XZ)
        self.assertEqual(vmlinux.extract(bzimage(packed)), self.kernel)

    def test_gzip_payload_with_trailing_size(self):
        squeeze = zlib.compressobj(wbits=16 + zlib.MAX_WBITS)
        packed = squeeze.compress(self.kernel) + squeeze.flush()
        self.assertEqual(vmlinux.extract(bzimage(packed)), self.kernel)

    def test_refusals(self):
        with self.assertRaisesRegex(ValueError, "not a bzImage"):
            vmlinux.extract(b"\0" * 4096)
        with self.assertRaisesRegex(ValueError, "unsupported"):
            vmlinux.extract(bzimage(b"\x28\xb5\x2f\xfd zstd"))
        with self.assertRaisesRegex(ValueError, "not an ELF"):
            vmlinux.extract(bzimage(lzma.compress(b"plain text")))


class Elf(unittest.TestCase):
    def test_loaded_size_sums_load_segments(self):
        with tempfile.NamedTemporaryFile() as f:
            f.write(tiny_elf([4096, 12288]))
            f.flush()
            self.assertEqual(elf.loaded_size(f.name), 16384)
            self.assertTrue(elf.is_static(f.name))

    def test_pvh_note(self):
        self.assertTrue(elf.has_pvh_entry(tiny_elf([1], pvh=True)))
        self.assertFalse(elf.has_pvh_entry(tiny_elf([1])))
        self.assertFalse(elf.has_pvh_entry(b"not an elf"))


if __name__ == "__main__":
    unittest.main()
