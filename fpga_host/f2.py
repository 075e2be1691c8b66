"""The AWS F2 back end: the kernel exported as RTL in the HDK small shell's customer-logic region.

Control goes over BAR0 of the application PF (AXI-Lite, 32-bit registers, the map below); bulk data
goes over BAR4 to the card's memory, both through the AWS FPGA SDK's Python bindings (`fpga_pci`,
from aws-fpga/sdk/userspace/python_bindings, on PYTHONPATH after `source sdk_setup.sh`, which also
installs libfpga_mgmt.so). Not exercised here: there is no F2 card; the register protocol is tested
against a register-level model of the card that runs the csim kernel (see nbs/20_fpga.ipynb)."""
import time
import numpy as np, torch
from .device import MXDevice

# BAR0 register map (byte offsets; 64-bit values are two registers, low word first).
REGISTERS = dict(
    # write START (bit 0) to run; read: DONE (bit 1, set when finished, cleared by START), IDLE (bit 2)
    CONTROL=0x00,
    STATUS=0x04,      # kernel return value after DONE: 0 ok, 1 bad mode, 2 bad block size, 3 reduction too long
    VERSION=0x08,     # read-only: datapath version (this map is version 1)
    MODE=0x10,        # 0 MXFP8 (E4M3), 1 MXFP4 (E2M1), 2 MXINT8
    BLOCK_SIZE=0x14,  # 8, 16 or 32
    M=0x18, N=0x1C, K_BLOCKS=0x20,  # C is M × N; the reduction is K_BLOCKS blocks
    A_CODES=0x28, A_SCALES=0x30, B_CODES=0x38, B_SCALES=0x40, C=0x48,  # 64-bit card-memory addresses
    CYCLES=0x50,      # read-only, 64-bit: kernel clock cycles from START to DONE
)
START, DONE, IDLE = 1, 2, 4
REGISTER_MAP_VERSION = 1
ALIGNMENT = 4096  # buffers start on 4 KiB boundaries in card memory

def _missing_sdk_error(cause):
    return RuntimeError("the f2 back end runs only on an AWS EC2 F2 instance with the AWS FPGA SDK set up: it needs "
                        "the SDK's Python binding module `fpga_pci` (aws-fpga/sdk/userspace/python_bindings on "
                        "PYTHONPATH, after `source sdk_setup.sh`), libfpga_mgmt.so, and an AFI with this datapath "
                        f"loaded in the slot (missing: {cause}); elsewhere use open_device('csim')")

class SdkBus:
    "BAR0 registers and BAR4 memory of one F2 slot, through the AWS FPGA SDK's `fpga_pci` bindings."
    def __init__(self, slot=0):
        try: import ctypes, fpga_pci
        except (ImportError, OSError) as error: raise _missing_sdk_error(error) from None
        self.ctypes, self.sdk = ctypes, fpga_pci
        self._check(fpga_pci.fpga_pci_init(), 'fpga_pci_init')
        self.bar0, self.bar4 = fpga_pci.pci_bar_handle_t(-1), fpga_pci.pci_bar_handle_t(-1)
        attach = fpga_pci.fpga_pci_attach
        self._check(attach(slot, fpga_pci.FPGA_APP_PF, fpga_pci.APP_PF_BAR0, 0, ctypes.byref(self.bar0)), 'attach BAR0')
        bar4 = attach(slot, fpga_pci.FPGA_APP_PF, fpga_pci.APP_PF_BAR4, fpga_pci.BURST_CAPABLE, ctypes.byref(self.bar4))
        self._check(bar4, 'attach BAR4')

    def _check(self, code, what):
        if code: raise RuntimeError(f"AWS FPGA SDK call {what} failed with code {code}")
    def poke(self, offset, value): self._check(self.sdk.fpga_pci_poke(self.bar0, offset, value), f'poke 0x{offset:x}')
    def peek(self, offset):
        value = self.ctypes.c_uint32()
        self._check(self.sdk.fpga_pci_peek(self.bar0, offset, self.ctypes.byref(value)), f'peek 0x{offset:x}')
        return value.value
    def _window(self, address, length):
        pointer = self.ctypes.c_void_p()
        self._check(self.sdk.fpga_pci_get_address(self.bar4, address, length, self.ctypes.byref(pointer)), 'map BAR4')
        return pointer.value
    def write(self, address, data):
        "Copy the bytes of NumPy array `data` to card memory at `address`."
        self.ctypes.memmove(self._window(address, data.nbytes), data.ctypes.data, data.nbytes)
    def read(self, address, nbytes):
        "`nbytes` bytes of card memory at `address`, as a uint8 array."
        out = np.empty(nbytes, dtype=np.uint8)
        self.ctypes.memmove(out.ctypes.data, self._window(address, nbytes), nbytes)
        return out

def buffer_layout(sizes, base=0):
    "Card-memory addresses for buffers of the given byte `sizes` (a dict), each 4 KiB aligned, from `base`."
    addresses, address = {}, base
    for name, size in sizes.items():
        addresses[name] = address
        address += -(-size // ALIGNMENT) * ALIGNMENT
    return addresses

class F2Device(MXDevice):
    "The datapath on an AWS F2 card (HDK small shell): registers over BAR0, operands and results over BAR4."
    name = 'f2'
    def __init__(self, slot=0, bus=None, timeout_s=60.0):
        super().__init__()
        self.bus, self.timeout_s = bus or SdkBus(slot), timeout_s
        version = self.bus.peek(REGISTERS['VERSION'])
        if version != REGISTER_MAP_VERSION:
            raise RuntimeError(f"the loaded AFI reports register map version {version}, "
                               f"expected {REGISTER_MAP_VERSION}")

    def _write_mode(self, value): self.bus.poke(REGISTERS['MODE'], value)
    def _poke64(self, name, value):
        self.bus.poke(REGISTERS[name], value & 0xFFFFFFFF)
        self.bus.poke(REGISTERS[name] + 4, value >> 32)

    def _matmul(self, a_mx, b_mx, shape):
        from .csim import as_bytes
        operands = dict(A_CODES=as_bytes(a_mx.element_codes), A_SCALES=as_bytes(a_mx.scale_codes),
                        B_CODES=as_bytes(b_mx.element_codes), B_SCALES=as_bytes(b_mx.scale_codes))
        addresses = buffer_layout({**{k: v.nbytes for k, v in operands.items()}, 'C': 4 * shape['m'] * shape['n']})
        for name, data in operands.items():
            self.bus.write(addresses[name], data)
            self._poke64(name, addresses[name])
        self._poke64('C', addresses['C'])
        for name in ('BLOCK_SIZE', 'M', 'N', 'K_BLOCKS'): self.bus.poke(REGISTERS[name], shape[name.lower()])
        self.bus.poke(REGISTERS['CONTROL'], START)
        self._wait_done()
        status = self.bus.peek(REGISTERS['STATUS'])
        if status: raise RuntimeError(f"f2 kernel returned status {status}")
        self.last_cycles = self.bus.peek(REGISTERS['CYCLES']) | self.bus.peek(REGISTERS['CYCLES'] + 4) << 32
        result_bytes = self.bus.read(addresses['C'], 4 * shape['m'] * shape['n'])
        result = result_bytes.view(np.float32).reshape(shape['m'], shape['n'])
        return torch.from_numpy(result.copy())

    def _wait_done(self):
        deadline = time.monotonic() + self.timeout_s
        while not self.bus.peek(REGISTERS['CONTROL']) & DONE:
            if time.monotonic() > deadline:
                raise TimeoutError(f"f2 kernel did not signal DONE within {self.timeout_s} s")
            time.sleep(1e-4)
