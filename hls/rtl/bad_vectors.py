"""Corrupted copies of an MXTV vector file for the RTL harness's negative tests (stdlib only).

    python bad_vectors.py VECTORS.bin OUT_DIR

writes OUT_DIR/flipped_bit.bin (one bit of the last expected result flipped: the harness must report FAIL),
OUT_DIR/version_2.bin (the version field set to 2: refused as not MXTV version 1) and OUT_DIR/mode_3.bin (the
first case's MODE set to 3, which the RTL does not implement: reported as MX_BAD_MODE).
"""
import struct, sys
from pathlib import Path

def main(vectors, out):
    data = Path(vectors).read_bytes()
    if data[:4] != b'MXTV' or struct.unpack_from('<I', data, 4)[0] != 1:
        raise SystemExit(f"{vectors} is not an MXTV version 1 vector file: "
                         "write it with `python -m mxlib.fpga --task vectors`")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    flipped = bytearray(data)
    flipped[-1] ^= 0x01  # bit 24 of the last case's last expected FP32 pattern
    (out / 'flipped_bit.bin').write_bytes(bytes(flipped))
    (out / 'version_2.bin').write_bytes(data[:4] + struct.pack('<I', 2) + data[8:])
    name_length = struct.unpack_from('<I', data, 12)[0]
    mode_3 = bytearray(data)
    struct.pack_into('<I', mode_3, 16 + name_length, 3)  # after magic, version, count and the name
    (out / 'mode_3.bin').write_bytes(bytes(mode_3))

if __name__ == '__main__':
    if len(sys.argv) != 3: raise SystemExit(f"usage: {sys.argv[0]} VECTORS.bin OUT_DIR")
    main(*sys.argv[1:])
