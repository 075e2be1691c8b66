"The device interface: a mode register, and C = A·Bᵀ on operands quantized by `mxlib.formats.quantize`."
import torch
from mxlib.formats import as_spec
from mxlib.fpga import DATAPATH_MODES, datapath_problem, datapath_shape, mx_matmul_reference

class MXDevice:
    "A datapath that multiplies MX operands: `set_mode(spec)`, then `matmul(a_mx, b_mx)` → float32 [m, n]."
    name = 'abstract'
    def __init__(self):
        self.mode, self.last_cycles = None, None

    def set_mode(self, spec):
        "Write the MODE register for the element format of `spec` (a QuantSpec or a name such as 'mxfp4')."
        spec = as_spec(spec)
        problem = datapath_problem(spec)
        if problem: raise ValueError(f"{self.name} device cannot run {spec.name}: {problem}")
        if self.mode != DATAPATH_MODES[spec.element]: self._write_mode(DATAPATH_MODES[spec.element])
        self.mode = DATAPATH_MODES[spec.element]

    def matmul(self, a_mx, b_mx):
        "C = A·Bᵀ (float32 [m, n]) of MXTensors A [m, k] and B [n, k] in the current mode."
        shape = datapath_shape(a_mx, b_mx)
        if self.mode != shape['mode']:
            raise ValueError(f"device mode is {self.mode} but the operands are {a_mx.spec.name} "
                             f"(mode {shape['mode']}): call set_mode first")
        return self._matmul(a_mx, b_mx, shape)

    def _write_mode(self, value): pass
    def _matmul(self, a_mx, b_mx, shape): raise NotImplementedError

class ReferenceDevice(MXDevice):
    "The datapath as mxlib's bit-exact Python reference (`mxlib.fpga.mx_matmul_reference`): what the others must equal."
    name = 'reference'
    def _matmul(self, a_mx, b_mx, shape): return mx_matmul_reference(a_mx, b_mx)

def open_device(kind='csim', **options):
    "A device by back-end name: 'csim' (g++ C simulation), 'f2' (AWS F2 card) or 'reference' (Python)."
    if kind == 'reference': return ReferenceDevice()
    if kind == 'csim':
        from .csim import CSimDevice
        return CSimDevice(**options)
    if kind == 'f2':
        from .f2 import F2Device
        return F2Device(**options)
    raise ValueError(f"unknown device kind {kind!r}; valid: csim, f2, reference")
