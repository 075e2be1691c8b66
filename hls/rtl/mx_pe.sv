// mx_pe.sv - the dual-precision MX processing element (plain SystemVerilog), bit-exact with
// mx_block_product and the FP32 accumulation of mx_matmul in hls/mx_datapath.cpp.
//
// One block pair a cycle: up to 32 element codes of A and of B (byte t holds element t; MXFP4 packs
// element 2i in the low nibble of byte i) and their E8M0 scale bytes. Three pipeline stages:
//   1. decode every element to an exact integer (value · 2^F), multiply, sum the block exactly (42 bits);
//   2. round S · 2^(ea + eb - 254 - 2F) once to FP32 (NaN for a 0xFF scale or an E4M3 NaN code);
//   3. add it into the FP32 accumulator (IEEE, round to nearest even), from +0 at a `first` block.
// `result` holds the accumulator (NaN canonical) the cycle `done` is high, three cycles after `last`.
//
// MODES is the set of implemented modes (bit m: mode m); SHARED = 1 gives each lane one multiplier of
// the widest implemented element for every mode, SHARED = 0 one multiplier per mode, chosen by MODE.
module mx_pe #(
  parameter int MODES = 7,
  parameter int SHARED = 1
) (
  input  logic         clk,
  input  logic [1:0]   mode,        // 0 MXFP8 (E4M3), 1 MXFP4 (E2M1), 2 MXINT8
  input  logic [5:0]   block_size,  // 8, 16 or 32 (checked by mx_tile)
  input  logic         valid,       // a block pair this cycle
  input  logic         first,       // the first block of an output
  input  logic         last,        // the last block of an output
  input  logic [255:0] a_codes,
  input  logic [255:0] b_codes,
  input  logic [7:0]   a_scale,
  input  logic [7:0]   b_scale,
  output logic         done,
  output logic [31:0]  result
);
  localparam int LANES = 32, ACC = 42;
  // widths of the element integers: E4M3 |int| <= 448·2^9 < 2^18, E2M1 |int| <= 12, INT8 -128..127
  localparam int W8 = 19, W4 = 5, WI = 8;
  localparam int WIDE = MODES[0] ? W8 : MODES[2] ? WI : W4;  // the shared multiplier's operand width
  localparam logic [31:0] CANONICAL_NAN = 32'h7FC0_0000;
  // fraction bits F by mode, 5 bits each from mode 0 up (element value = integer · 2^-F): E4M3 9, E2M1 1, INT8 6
  localparam logic [14:0] FRACTION_BITS = {5'd6, 5'd1, 5'd9};

  // element code -> exact integer (sign, exponent field, mantissa field; a subnormal is the mantissa itself)
  function automatic logic signed [W8-1:0] e4m3(input logic [7:0] c);
    logic [17:0] magnitude;
    logic signed [W8-1:0] value;
    magnitude = c[6:3] == 0 ? {15'd0, c[2:0]} : {14'd0, 1'b1, c[2:0]} << (c[6:3] - 4'd1);
    value = $signed({1'b0, magnitude});
    e4m3 = c[7] ? -value : value;
  endfunction
  function automatic logic signed [W4-1:0] e2m1(input logic [3:0] c);
    logic [3:0] magnitude;
    logic signed [W4-1:0] value;
    magnitude = c[2:1] == 0 ? {3'd0, c[0]} : {2'd0, 1'b1, c[0]} << (c[2:1] - 2'd1);
    value = $signed({1'b0, magnitude});
    e2m1 = c[3] ? -value : value;
  endfunction

  // stage 1: decode, multiply, exact block sum
  logic [LANES*ACC-1:0] products;  // lane t's product in bits ACC·t and up
  logic [LANES-1:0] nan_lanes;
  logic signed [ACC-1:0] block_sum;
  logic signed [11:0] block_exponent;
  logic [4:0] fraction_bits;

  for (genvar t = 0; t < LANES; t++) begin : lane
    logic [7:0] a_byte, b_byte;
    logic [3:0] a_nibble, b_nibble;
    logic in_block;
    assign in_block = t < block_size;      // lanes past the block hold code 0 (value 0, not NaN)
    assign a_byte = in_block ? a_codes[8 * t +: 8] : 8'd0;
    assign b_byte = in_block ? b_codes[8 * t +: 8] : 8'd0;
    assign a_nibble = in_block ? a_codes[8 * (t / 2) + 4 * (t % 2) +: 4] : 4'd0;
    assign b_nibble = in_block ? b_codes[8 * (t / 2) + 4 * (t % 2) +: 4] : 4'd0;
    assign nan_lanes[t] = MODES[0] && mode == 2'd0 && (a_byte[6:0] == 7'h7F || b_byte[6:0] == 7'h7F);
    if (SHARED != 0) begin : shared
      logic signed [WIDE-1:0] a_int, b_int;
      /* verilator lint_off WIDTH */  // the narrower element integers are sign-extended to WIDE
      always_comb begin
        a_int = 0;
        b_int = 0;
        if (MODES[0] && mode == 2'd0) begin a_int = e4m3(a_byte); b_int = e4m3(b_byte); end
        if (MODES[1] && mode == 2'd1) begin a_int = e2m1(a_nibble); b_int = e2m1(b_nibble); end
        if (MODES[2] && mode == 2'd2) begin a_int = $signed(a_byte); b_int = $signed(b_byte); end
      end
      /* verilator lint_on WIDTH */
      assign products[ACC * t +: ACC] = a_int * b_int;  // signed, at the accumulator's width
    end else begin : separate
      logic signed [2*W8-1:0] p8;
      logic signed [2*W4-1:0] p4;
      logic signed [2*WI-1:0] pi;
      if (MODES[0]) assign p8 = e4m3(a_byte) * e4m3(b_byte); else assign p8 = 0;
      if (MODES[1]) assign p4 = e2m1(a_nibble) * e2m1(b_nibble); else assign p4 = 0;
      if (MODES[2]) assign pi = $signed(a_byte) * $signed(b_byte); else assign pi = 0;
      /* verilator lint_off WIDTH */
      assign products[ACC * t +: ACC] = mode == 2'd0 ? p8 : mode == 2'd1 ? p4 : pi;  // all signed: sign-extended
      /* verilator lint_on WIDTH */
    end
  end

  always_comb begin
    block_sum = 0;
    // exact: |sum| < 2^40.62
    for (int t = 0; t < LANES; t++) block_sum = block_sum + $signed(products[ACC * t +: ACC]);
    fraction_bits = mode < 2'd3 ? FRACTION_BITS[5 * mode +: 5] : 5'd0;
    block_exponent = 12'(a_scale) + 12'(b_scale) - 12'sd254 - 12'(2 * fraction_bits);
  end

  logic s1_valid, s1_first, s1_last, s1_nan;
  logic signed [ACC-1:0] s1_sum;
  logic signed [11:0] s1_exponent;
  always_ff @(posedge clk) begin
    s1_valid <= valid;
    s1_first <= first;
    s1_last <= last;
    s1_nan <= (|nan_lanes) || a_scale == 8'hFF || b_scale == 8'hFF;
    s1_sum <= block_sum;
    s1_exponent <= block_exponent;
  end

  // stage 2: one rounding to FP32
  logic [31:0] block_value;
  logic [ACC-2:0] s1_magnitude;
  /* verilator lint_off WIDTH */
  assign s1_magnitude = s1_sum < 0 ? -s1_sum : s1_sum;  // below 2^41: the top bit is dropped
  /* verilator lint_on WIDTH */
  mx_round_fp32 #(.W(ACC - 1)) round (.sign(s1_sum < 0), .magnitude(s1_magnitude), .exponent(s1_exponent),
                                      .bits(block_value));
  logic s2_valid, s2_first, s2_last;
  logic [31:0] s2_value;
  always_ff @(posedge clk) begin
    s2_valid <= s1_valid;
    s2_first <= s1_first;
    s2_last <= s1_last;
    s2_value <= s1_nan ? CANONICAL_NAN : block_value;
  end

  // stage 3: FP32 accumulation in block order
  logic [31:0] accumulator, accumulated;
  mx_fp32_add add (.x(s2_first ? 32'h0000_0000 : accumulator), .y(s2_value), .sum(accumulated));
  always_ff @(posedge clk) begin
    if (s2_valid) accumulator <= accumulated;
    done <= s2_valid && s2_last;
  end
  assign result = accumulator[30:23] == 8'hFF && accumulator[22:0] != 0 ? CANONICAL_NAN : accumulator;
endmodule
