// mx_fp32.sv - IEEE binary32 rounding and addition for the MX processing element (plain SystemVerilog,
// combinational). Both follow hls/mx_datapath.cpp bit for bit: round to nearest, ties to even, IEEE
// subnormals, +-inf on overflow, every NaN written as the canonical quiet NaN 0x7FC00000.

// sign · magnitude · 2^exponent, rounded once to FP32 (mx_scale_to_fp32 in mx_datapath.cpp).
// A zero magnitude gives a zero of the given sign.
module mx_round_fp32 #(
  parameter int W = 41  // magnitude bits
) (
  input  logic               sign,
  input  logic [W-1:0]       magnitude,
  input  logic signed [11:0] exponent,   // weight of the magnitude's bit 0 is 2^exponent
  output logic [31:0]        bits
);
  localparam int X = W + 23;             // magnitude << 23: a right shift by `shift + 23` is never negative
  logic [6:0] top;                       // position of the highest set bit (a priority encoder)
  logic signed [12:0] unbiased, shift;   // the value lies in [2^unbiased, 2^(unbiased + 1))
  logic [X-1:0] wide, kept_wide, below_mask, one;
  logic [8:0] amount;                    // shift + 23, clamped to X + 1
  logic half, sticky;
  logic [24:0] kept, rounded;
  logic [31:0] normal;

  always_comb begin
    top = 0;
    for (int i = 0; i < W; i++) if (magnitude[i]) top = 7'(i);
    unbiased = 13'(signed'({1'b0, top})) + 13'(exponent);
    // a normal result keeps 24 significant bits; a subnormal one keeps bits down to 2^-149
    shift = unbiased >= -126 ? 13'(signed'({1'b0, top})) - 13'sd23 : -13'sd149 - 13'(exponent);
    amount = 32'(shift) + 23 > X + 1 ? 9'(X + 1) : 9'(32'(shift) + 23);
    one = 1;
    wide = {magnitude, 23'd0};
    kept_wide = wide >> amount;
    half = amount >= 1 && 32'(amount) <= X ? wide[amount - 1] : 1'b0;
    below_mask = amount >= 2 ? (one << (amount - 1)) - one : 0;
    sticky = |(wide & below_mask);
    kept = kept_wide[24:0];              // below 2^25 whenever the value is in range
    rounded = kept + 25'(half && (sticky || kept[0]));
    // a carry out of the mantissa moves into the exponent field; past exponent 254 it is the infinity pattern
    normal = 32'(32'(unbiased) + 127) * 32'h0080_0000 + 32'(rounded) - 32'h0080_0000;
    if (magnitude == 0) bits = {sign, 31'b0};
    else if (unbiased > 127) bits = {sign, 31'h7F80_0000};
    else if (unbiased >= -126) bits = {sign, normal >= 32'h7F80_0000 ? 31'h7F80_0000 : normal[30:0]};
    else bits = {sign, 6'b0, rounded};   // subnormal: rounding up into 2^-126 gives the smallest normal pattern
  end
endmodule

// x + y in IEEE binary32, round to nearest even. The smaller operand is aligned to the larger one in a
// 57-bit window (exact for exponent differences up to 32) and the exact sum is rounded once by
// mx_round_fp32; past a difference of 32 the smaller operand is below 2^-9 ulp and the result is the larger.
module mx_fp32_add (
  input  logic [31:0] x,
  input  logic [31:0] y,
  output logic [31:0] sum
);
  localparam logic [31:0] CANONICAL_NAN = 32'h7FC0_0000;
  logic x_nan, y_nan, x_inf, y_inf, swap, sa, sb;
  logic [30:0] a_field, b_field;
  logic [7:0] ea, eb;
  logic [8:0] difference;
  logic [23:0] ma, mb;
  logic [56:0] wa, wb, exact;
  logic signed [11:0] exponent;
  logic [31:0] rounded;

  mx_round_fp32 #(.W(57)) round (.sign(sa), .magnitude(exact), .exponent(exponent), .bits(rounded));

  always_comb begin
    x_nan = x[30:23] == 8'hFF && x[22:0] != 0;
    y_nan = y[30:23] == 8'hFF && y[22:0] != 0;
    x_inf = x[30:0] == 31'h7F80_0000;
    y_inf = y[30:0] == 31'h7F80_0000;
    swap = y[30:0] > x[30:0];            // a is the operand of larger magnitude
    {sa, a_field} = swap ? y : x;
    {sb, b_field} = swap ? x : y;
    ma = {a_field[30:23] != 0, a_field[22:0]};  // the hidden bit; a subnormal has the exponent of 2^-126
    mb = {b_field[30:23] != 0, b_field[22:0]};
    ea = a_field[30:23] == 0 ? 8'd1 : a_field[30:23];
    eb = b_field[30:23] == 0 ? 8'd1 : b_field[30:23];
    difference = 9'(ea) - 9'(eb);
    wa = 57'(ma) << 32;
    wb = difference > 32 ? 57'(0) : 57'(mb) << (32 - difference);
    exact = sa == sb ? wa + wb : wa - wb;
    exponent = 12'(ea) - 12'sd182;       // bit 0 of the window weighs 2^(ea - 150 - 32)
  end

  always_comb begin
    if (x_nan || y_nan || (x_inf && y_inf && x[31] != y[31])) sum = CANONICAL_NAN;
    else if (x_inf || y_inf) sum = swap ? y : x;
    else if (difference > 32) sum = swap ? y : x;
    else if (exact == 0) sum = {x[31] && y[31], 31'b0};  // x + (-x) = +0; -0 + -0 = -0
    else sum = rounded;
  end
endmodule
