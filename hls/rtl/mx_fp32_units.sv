// mx_fp32_units.sv - the PE's two FP32 units side by side, as a Verilator top for tb_mx_fp32.cpp.
module mx_fp32_units (
  input  logic [31:0]        x,
  input  logic [31:0]        y,
  output logic [31:0]        sum,         // x + y
  input  logic               sign,
  input  logic [40:0]        magnitude,
  input  logic signed [11:0] exponent,
  output logic [31:0]        bits         // (-1)^sign · magnitude · 2^exponent, the block-sum rounding
);
  mx_fp32_add add (.x(x), .y(y), .sum(sum));
  mx_round_fp32 #(.W(41)) round (.sign(sign), .magnitude(magnitude), .exponent(exponent), .bits(bits));
endmodule
