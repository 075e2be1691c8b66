// mx_tile.sv - a row of N MX processing elements: one block of A (broadcast) against one block of each
// of N rows of B per cycle, so a tile computes C[i][j0 .. j0+N-1]. MODE and BLOCK_SIZE are control
// registers; `status` reports what mx_matmul would return (MX_OK, MX_BAD_MODE, MX_BAD_BLOCK_SIZE) and
// blocks are ignored while it is not MX_OK.
module mx_tile #(
  parameter int N = 8,
  parameter int MODES = 7,
  parameter int SHARED = 1
) (
  input  logic           clk,
  input  logic [31:0]    mode,
  input  logic [31:0]    block_size,
  input  logic           valid,
  input  logic           first,
  input  logic           last,
  input  logic [255:0]   a_codes,
  input  logic [7:0]     a_scale,
  input  logic [256*N-1:0] b_codes,
  input  logic [8*N-1:0] b_scales,
  output logic [1:0]     status,   // 0 MX_OK, 1 MX_BAD_MODE, 2 MX_BAD_BLOCK_SIZE
  output logic           done,
  output logic [32*N-1:0] results
);
  logic mode_ok, block_ok;
  assign mode_ok = mode < 3 && MODES[{3'b0, mode[1:0]}] == 1;
  assign block_ok = block_size == 8 || block_size == 16 || block_size == 32;
  assign status = !mode_ok ? 2'd1 : !block_ok ? 2'd2 : 2'd0;

  logic [N-1:0] pe_done;
  for (genvar j = 0; j < N; j++) begin : pe
    mx_pe #(.MODES(MODES), .SHARED(SHARED)) unit (
      .clk(clk), .mode(mode[1:0]), .block_size(block_size[5:0]), .valid(valid && status == 2'd0),
      .first(first), .last(last), .a_codes(a_codes), .b_codes(b_codes[256 * j +: 256]), .a_scale(a_scale),
      .b_scale(b_scales[8 * j +: 8]), .done(pe_done[j]), .result(results[32 * j +: 32]));
  end
  assign done = pe_done[0];
endmodule
