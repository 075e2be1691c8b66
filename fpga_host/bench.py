"The csim back end's speed: MACs per second of the C simulation and of the Python reference, one product per mode."
import torch
from mxlib.bench import provenance, results_path, script, summarize, time_call, write_json_atomic
from mxlib.fpga import random_operands
from .device import open_device

def bench_fpga_csim(m=64, k=1024, n=256, # the product's shape: [m, k] · [n, k]ᵀ
                    repeats=7, # timed runs per case
                    path=None, # output JSON; default results/bench/fpga_csim.json
                    seed=0):
    "Time the csim device and the Python reference on one product per mode; write and return the measured record."
    devices = {'csim': open_device('csim'), 'reference': open_device('reference')}
    generator, cases = torch.Generator().manual_seed(seed), {}
    for spec in ['mxfp8', 'mxfp4', 'mxint8']:
        a, b = random_operands(spec, m, n, k, generator)
        for kind, device in devices.items():
            device.set_mode(spec)
            summary = summarize(time_call(lambda: device.matmul(a, b), repeats, warmup=1))
            rate = lambda seconds: m * n * k / seconds
            interval = [rate(summary['ci95'][1]), rate(summary['ci95'][0])]
            cases[f'{kind}[{spec}]'] = dict(summary, macs_per_second=rate(summary['mean']),
                                            macs_per_second_ci95=interval)
    record = dict(benchmark='fpga csim: MX datapath C simulation, MACs per second', source='measured',
                  shape=dict(m=m, k=k, n=n), block_size=32, repeats=repeats, cases=cases, provenance=provenance())
    write_json_atomic(path or results_path('bench', 'fpga_csim.json'), record)
    return record

@script
def main(out:str=None, # output file (default: results/bench/fpga_csim.json)
        ):
    "Run the csim benchmark and print MACs per second with their 95 % intervals."
    for name, case in bench_fpga_csim(path=out)['cases'].items():
        low, high = case['macs_per_second_ci95']
        print(f"{name:20s} {case['macs_per_second']:10.3g} MAC/s  [{low:.3g}, {high:.3g}]")
