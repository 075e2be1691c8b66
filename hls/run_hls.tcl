# run_hls.tcl - C simulation, C synthesis and IP export of the MX datapath with AMD Vitis HLS.
# NOT RUN in this project (no vendor tools here); written for a machine with Vitis HLS 2023.2 or later:
#   cd hls && make vectors && vitis_hls -f run_hls.tcl            (all steps)
#   vitis_hls -f run_hls.tcl -tclargs csim                         (C simulation only)
# The part is the AWS F2 card's FPGA (Virtex UltraScale+ HBM VU47P); the clock is the small
# shell's 250 MHz customer-logic clock. The exported RTL IP goes into the HDK small-shell
# customer-logic region (cl/), with its AXI-Lite control port on the BAR0 (OCL) interface and its
# m_axi ports on the card-memory interconnect (see fpga_host/f2.py for the register map).
set steps [expr {[llength $argv] > 0 ? [lindex $argv 0] : "all"}]

open_project -reset mx_datapath_prj
set_top mx_matmul
add_files mx_datapath.cpp -cflags "-std=c++17"
add_files -tb mx_testbench.cpp -cflags "-std=c++17 -Wno-unknown-pragmas"
add_files -tb build/vectors.bin

open_solution -reset vu47p -flow_target vivado
set_part xcvu47p-fsvh2892-2-e  ;# the F2 HDK names its part in hdk/common; check it matches your HDK release
create_clock -period 4.0 -name default
config_interface -m_axi_addr64=true
config_export -format ip_catalog -rtl verilog -vendor mxlib -library mx -version 1.0 -display_name "MX datapath (MXFP8/MXFP4/MXINT8)"

# C simulation: the same testbench and vectors as `make -C hls test`
csim_design -argv "build/vectors.bin"
if {$steps eq "csim"} { exit }

# C synthesis: reports latency, initiation intervals and resource use (compare with the cost model in nbs/20_fpga.ipynb)
csynth_design
# RTL co-simulation checks the generated RTL against the same vectors; it catches, e.g., an FP32
# adder bound to a core that flushes subnormals (the C model keeps IEEE subnormals)
cosim_design -argv "build/vectors.bin" -rtl verilog
export_design -format ip_catalog
exit
