// attn-sweep: attention sweeps -- the softmax scale that maximises the gradient, how sparse attention can
// get, softmax's resistance to score noise, and the smallest RoPE base for a context length
// (Su, kexue.fm/archives/9812, 9889, 9593; Men et al. 2024, Base of RoPE Bounds Context Length). A thin
// driver: the subcommands live in attn_sweep_softmax.cpp and attn_sweep_rope.cpp, the numerics in lib/attn
// and lib/rope.
#include "tools/attn_sweep.hpp"

#include "attn/claims.hpp"
#include "rope/claims.hpp"

int main(int argc, char** argv) {
  const core::ToolInfo tool{
      "attn-sweep", "attention sweeps: optimal softmax scale, sparsity, noise, the smallest RoPE base",
      "Heavy kernels run on the CPU (OpenMP) or, with --device cuda|auto where a subcommand offers it, on a GPU."};
  std::vector<core::Command> commands = attn_tool::softmax_commands();
  for (auto& c : attn_tool::rope_commands()) commands.push_back(std::move(c));
  commands.push_back(core::reproduce_command(
      [](const core::ReproduceSettings& s) {
        auto rows = attn::reproduce(s);
        for (auto& r : rope::reproduce(s)) rows.push_back(std::move(r));
        return rows;
      },
      {attn::claims(), rope::claims()}));
  return core::run_tool(tool, commands, argc, argv);
}
