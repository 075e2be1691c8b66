"The C-simulation back end: the HLS source compiled by g++ into a shared library and called through ctypes."
import ctypes, os, shutil, subprocess
from pathlib import Path
import numpy as np, torch
from .device import MXDevice

def hls_folder():
    "The repository's hls/ folder (override with the MXLIB_HLS_DIR environment variable)."
    folder = Path(os.environ.get('MXLIB_HLS_DIR', Path(__file__).resolve().parents[1] / 'hls'))
    if not (folder / 'mx_datapath.cpp').exists():
        raise FileNotFoundError(f"no HLS source (mx_datapath.cpp) in {folder}; set MXLIB_HLS_DIR")
    return folder

def make_hls(target, folder=None):
    "Build `target` of hls/Makefile (e.g. 'build/libmx_csim.so') if its sources changed; returns its path (make, g++)."
    folder = Path(folder or hls_folder())
    missing = [tool for tool in ('make', os.environ.get('CXX', 'g++')) if shutil.which(tool) is None]
    if missing:
        raise RuntimeError(f"the csim back end compiles the HLS C++ source and needs {' and '.join(missing)} on PATH "
                           "(Debian: apt-get install build-essential)")
    result = subprocess.run(['make', '-s', '-C', str(folder), target], capture_output=True, text=True)
    if result.returncode: raise RuntimeError(f"building hls/{target} failed:\n{result.stdout}{result.stderr}")
    return folder / target

def run_testbench(vectors):
    "Build the C testbench (hls/Makefile) and run it on the `vectors` file; returns (passed, failed, output)."
    run = subprocess.run([str(make_hls('build/mx_testbench')), str(vectors)], capture_output=True, text=True)
    last = (run.stdout.strip().splitlines() or [''])[-1].replace(',', '').split()
    if len(last) != 4 or last[1::2] != ['passed', 'failed']:
        raise RuntimeError(f"the testbench ended abnormally (exit {run.returncode}):\n{run.stdout}{run.stderr}")
    return int(last[0]), int(last[2]), run.stdout

_U8, _U32 = np.ctypeslib.ndpointer(np.uint8, flags='C'), np.ctypeslib.ndpointer(np.uint32, flags='C')

def load_library(path=None):
    "The csim library with its C bridge's signatures declared."
    library = ctypes.CDLL(str(path or make_hls('build/libmx_csim.so')))
    library.mx_csim_matmul.restype = ctypes.c_int32
    library.mx_csim_matmul.argtypes = [ctypes.c_uint32] * 5 + [_U8] * 4 + [_U32, ctypes.POINTER(ctypes.c_uint64)]
    library.mx_csim_scale_to_fp32.restype = ctypes.c_uint32
    library.mx_csim_scale_to_fp32.argtypes = [ctypes.c_int64, ctypes.c_int32]
    library.mx_csim_max_k.restype = ctypes.c_int32
    return library

def as_bytes(codes):
    "A C-contiguous uint8 NumPy view of packed codes (a torch tensor)."
    return np.ascontiguousarray(codes.detach().cpu().numpy(), dtype=np.uint8)

STATUS_MESSAGES = {1: 'bad mode', 2: 'bad block size (8, 16 or 32)', 3: 'reduction longer than the tile buffers'}

class CSimDevice(MXDevice):
    "The HLS kernel run in C simulation on the CPU: bit-exact with the hardware's C model."
    name = 'csim'
    def __init__(self, library=None):
        super().__init__()
        self.library = library or load_library()

    def _matmul(self, a_mx, b_mx, shape):
        m, n, k_blocks = shape['m'], shape['n'], shape['k_blocks']
        reduction, max_k = k_blocks * shape['block_size'], self.library.mx_csim_max_k()
        if reduction > max_k:
            raise ValueError(f"reduction of {reduction} elements exceeds the kernel's MX_MAX_K = {max_k}")
        out, cycles = np.empty((m, n), dtype=np.uint32), ctypes.c_uint64()
        codes = (a_mx.element_codes, a_mx.scale_codes, b_mx.element_codes, b_mx.scale_codes)
        operands = [as_bytes(part) for part in codes]
        status = self.library.mx_csim_matmul(shape['mode'], shape['block_size'], m, n, k_blocks, *operands, out,
                                             ctypes.byref(cycles))
        if status: raise RuntimeError(f"csim kernel returned status {status}: {STATUS_MESSAGES.get(status, 'unknown')}")
        self.last_cycles = cycles.value
        return torch.from_numpy(out.view(np.float32))
