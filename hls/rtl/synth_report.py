"""Write results/fpga/synthesis.json from Yosys `stat -json` files and the RTL harness's cycle counts (stdlib only).

    python synth_report.py --stats DIR --designs "pe_shared ..." --tile-n N --flags FLAGS --cycles CYCLES.json
                           --yosys YOSYS --out results/fpga/synthesis.json

Resource counts are Yosys's cells after `synth_xilinx` (no place and route, no timing); cycles come from the
Verilator simulation. The report is written to a temporary file and renamed, so a failure leaves the old one.
"""
import argparse, hashlib, json, os, subprocess, sys, tempfile
from pathlib import Path

SOURCE = 'synthesized (Yosys, not Vivado; no place and route, no timing)'
HERE = Path(__file__).resolve().parent
RTL_FILES = ['mx_fp32.sv', 'mx_pe.sv', 'mx_tile.sv']
MODE_NAMES = {1: 'mxfp8', 2: 'mxfp4', 4: 'mxint8'}  # MODES bit → the mode it implements
DESIGNS = {  # design → (what it is, the modes it implements)
    'pe_shared': ('dual-precision PE, one multiplier per lane shared by all modes (the design)', 7),
    'pe_separate': ('dual-precision PE, one multiplier per lane and mode, chosen by MODE', 7),
    'pe_fp8': ('single-mode PE, MXFP8 (E4M3) only', 1),
    'pe_fp4': ('single-mode PE, MXFP4 (E2M1) only', 2),
    'pe_int8': ('single-mode PE, MXINT8 only', 4),
    'tile_shared': ('tile of N dual-precision PEs (shared multipliers), one block of A broadcast to all', 7),
}
SINGLE_MODE_PES = ['pe_fp8', 'pe_fp4', 'pe_int8']
PE_DESIGNS = ['pe_shared', 'pe_separate'] + SINGLE_MODE_PES  # what the dual-precision comparison needs
LUT_CELLS = ['LUT1', 'LUT2', 'LUT3', 'LUT4', 'LUT5', 'LUT6', 'INV']  # Yosys's INV is a LUT1 in the netlist
FF_CELLS = ['FDRE', 'FDSE', 'FDCE', 'FDPE']

class ReportError(Exception): "A missing or malformed input to the report."

def resources(stat_path):
    "LUT, FF, DSP48E2 and BRAM counts (plus every cell type) of one `stat -json` file."
    try: modules = json.loads(Path(stat_path).read_text())['modules']
    except (OSError, ValueError, KeyError) as error:
        raise ReportError(f"cannot read Yosys statistics {stat_path}: {error}")
    if len(modules) != 1: raise ReportError(f"{stat_path}: expected one flattened module, got {sorted(modules)}")
    cells = next(iter(modules.values()))['num_cells_by_type']
    count = lambda names: sum(cells.get(name, 0) for name in names)
    return dict(lut=count(LUT_CELLS), ff=count(FF_CELLS), dsp48e2=cells.get('DSP48E2', 0),
                bram_36kb=cells.get('RAMB36E2', 0) + cells.get('RAMB18E2', 0) / 2,
                carry=count(['CARRY4', 'CARRY8']), cells_by_type=dict(sorted(cells.items())))

def difference(a, b, keys=('lut', 'ff', 'dsp48e2')):
    "a − b for each resource."
    return {key: a[key] - b[key] for key in keys}

def dual_precision(designs):
    "What sharing the multiplier costs or saves: against one multiplier per mode, and against three single-mode PEs."
    shared, separate = designs['pe_shared'], designs['pe_separate']
    singles = {key: sum(designs[name][key] for name in SINGLE_MODE_PES) for key in ('lut', 'ff', 'dsp48e2')}
    return dict(
        shared_minus_separate_multipliers=difference(shared, separate),
        shared_minus_three_single_mode_pes=difference(shared, singles),
        shared_minus_fp8_only_pe=difference(shared, designs['pe_fp8']),
        three_single_mode_pes=singles,
        note='negative: the shared design saves that much; separate multipliers share the adder tree, rounding and '
             'accumulator; three single-mode PEs share nothing; against the MXFP8-only PE, positive is what the two '
             'extra modes (their decoders and the mode multiplexers) cost')

def cycle_counts(path, tile_n):
    "The harness's per-case cycle counts, with the per-tile rule they follow."
    try: record = json.loads(Path(path).read_text())
    except (OSError, ValueError) as error:
        raise ReportError(f"cannot read the RTL cycle counts {path}: {error} (run make rtl-test)")
    cases = record['cases']
    fill = sorted({case['cycles'] - case['tiles'] * case['k_blocks'] for case in cases})
    return dict(source='measured in Verilator (cycle-accurate RTL simulation of the tile; no clock frequency)',
                tile_pes=record['tile_pes'], synthesized_tile_pes=tile_n,
                rule=f"a tile (one row of A against {record['tile_pes']} rows of B) takes k_blocks cycles, tiles "
                     f"stream back to back; a case takes tiles · k_blocks + {fill[0] if len(fill) == 1 else fill} "
                     'cycles (the 3-stage pipeline fills once)',
                pipeline_fill_cycles=fill, cases=cases)

def yosys_version(yosys):
    try: return subprocess.run([yosys, '-V'], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError) as error: raise ReportError(f"cannot run {yosys} -V: {error}")

def report(args):
    "The synthesis record."
    designs = {}
    for name in args.designs.split():
        if name not in DESIGNS: raise ReportError(f"unknown design {name!r}; known: {', '.join(DESIGNS)}")
        what, modes = DESIGNS[name]
        designs[name] = dict(what=what.replace('N ', f'{args.tile_n} ') if name.startswith('tile') else what,
                             modes=[MODE_NAMES[bit] for bit in MODE_NAMES if modes & bit],
                             **resources(Path(args.stats) / f'{name}.stat.json'))
    return dict(
        source=SOURCE, tool=yosys_version(args.yosys), command=f"synth_xilinx {args.flags}",
        family="xcup: AMD UltraScale+ (the F2 card's VU47P is one); Yosys's cell counts, not Vivado's utilisation",
        rtl={f'hls/rtl/{name}': hashlib.sha256((HERE / name).read_bytes()).hexdigest()[:16] for name in RTL_FILES},
        counting=dict(lut=' + '.join(LUT_CELLS), ff=' + '.join(FF_CELLS), dsp48e2='DSP48E2',
                      bram_36kb='RAMB36E2 + RAMB18E2 / 2'),
        designs=designs, dual_precision=dual_precision(designs) if set(PE_DESIGNS) <= set(designs) else None,
        cycles=cycle_counts(args.cycles, args.tile_n),
        estimates=dict(clock_mhz='assumed 250 MHz (the F2 small shell\'s clock): no timing analysis was run',
                       energy='modelled (mxlib.fpga cost model)',
                       bram_36kb='the RTL PE and tile hold no operand buffers (blocks are streamed in), so BRAM is 0 '
                                 'here; the buffers of the HLS kernel remain the cost model\'s estimate'))

def write_atomic(path, record):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile('w', dir=path.parent, suffix='.tmp', delete=False) as file:
        json.dump(record, file, indent=1)
        file.write('\n')
    os.replace(file.name, path)

def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for option in ['--stats', '--designs', '--flags', '--cycles', '--yosys', '--out']:
        parser.add_argument(option, required=True)
    parser.add_argument('--tile-n', type=int, required=True)
    args = parser.parse_args()
    try: record = report(args)
    except ReportError as error: sys.exit(f"synth: {error}; {args.out} left as it was")
    write_atomic(args.out, record)
    shared = record['designs'].get('pe_shared')
    summary = f" (pe_shared: {shared['lut']} LUT, {shared['ff']} FF, {shared['dsp48e2']} DSP48E2)" if shared else ''
    print(f"wrote {args.out}{summary}")

if __name__ == '__main__':
    main()
