"""Recover the uncompressed kernel (vmlinux) from a bzImage, for QEMU's PVH
boot, which loads an ELF. The x86 boot protocol (Documentation/arch/x86/
boot.rst) says where the compressed payload is: payload_offset and
payload_length (protocol 2.08+) count from the protected-mode code, which
starts after the (setup_sects + 1) 512-byte sectors of real-mode setup."""
import bz2
import lzma
import struct
import zlib

HEADER_MAGIC = b"HdrS"   # at 0x202
MIN_PROTOCOL = 0x208     # the first with payload_offset/length


def _xz(payload):
    return lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(payload)


def _lzma(payload):
    return lzma.LZMADecompressor(format=lzma.FORMAT_ALONE).decompress(payload)


def _gzip(payload):
    # One gzip member (wbits 16+), which stops before the uncompressed size
    # the kernel appends; gzip.decompress would take it for a second member.
    return zlib.decompressobj(wbits=16 + zlib.MAX_WBITS).decompress(payload)


def _bzip2(payload):
    return bz2.BZ2Decompressor().decompress(payload)


# Payload formats by their magic; zstd, lz4 and lzo have no decoder in the
# Python standard library, and such kernels boot with -M pc instead.
DECODERS = (
    (b"\xfd7zXZ\x00", _xz),
    (b"\x5d\x00\x00", _lzma),
    (b"\x1f\x8b", _gzip),
    (b"BZh", _bzip2),
)


def extract(bzimage):
    """The vmlinux ELF inside a bzImage's bytes; raises ValueError saying
    why when it cannot."""
    if bzimage[0x202:0x206] != HEADER_MAGIC:
        raise ValueError("not a bzImage (no HdrS boot header)")
    protocol, = struct.unpack_from("<H", bzimage, 0x206)
    if protocol < MIN_PROTOCOL:
        raise ValueError(f"boot protocol {protocol:#x} has no payload field")
    setup_sects = bzimage[0x1f1] or 4
    offset, length = struct.unpack_from("<II", bzimage, 0x248)
    start = (setup_sects + 1) * 512 + offset
    payload = bzimage[start:start + length]
    for magic, decode in DECODERS:
        if payload.startswith(magic):
            kernel = decode(payload)
            if kernel[:4] != b"\x7fELF":
                raise ValueError("the payload is not an ELF kernel")
            return kernel
    raise ValueError(f"payload compressed in an unsupported format "
                     f"(magic {payload[:4].hex()})")
