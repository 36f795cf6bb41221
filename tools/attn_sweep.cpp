// attn-sweep: attention sweeps -- the softmax scale that maximises the gradient, how sparse attention can
// get, softmax's resistance to score noise, and the smallest RoPE base for a context length
// (../shared/spec/attn-sweep.md). A thin driver: the subcommands live in attn_sweep_softmax.cpp and
// attn_sweep_rope.cpp, the numerics in lib/attn and lib/rope.
#include "attn/claims.hpp"
#include "rope/claims.hpp"
#include "tools/attn_sweep.hpp"

int main(int argc, char** argv) {
  const core::ToolInfo tool{
      "attn-sweep", "attention sweeps: optimal softmax scale, sparsity, noise, the smallest RoPE base",
      "Heavy kernels run on the CPU (OpenMP) or, with --device cuda|auto where a subcommand offers it, on a GPU."};
  std::vector<core::Command> commands = attn_tool::softmax_commands();
  for (auto& c : attn_tool::rope_commands()) commands.push_back(std::move(c));
  commands.push_back(core::reproduce_command([](const core::ReproduceSettings& s) {
    auto rows = attn_tool::softmax_reproduce(s);
    for (auto& r : attn_tool::rope_reproduce(s)) rows.push_back(std::move(r));
    return rows;
  }, {attn::claims(), rope::claims()}));
  return core::run_tool(tool, commands, argc, argv);
}
