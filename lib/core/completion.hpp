// The bash completion of a tool, written from the same subcommand and option tables as --help, so the two
// cannot drift apart: `TOOL --completion bash` (a hidden argument) prints it, and the build installs it as
// share/bash-completion/completions/TOOL. It completes the subcommands, each subcommand's options, and file
// names after an option that takes a FILE or PREFIX.
#pragma once

#include <ostream>
#include <span>

#include "core/cli.hpp"

namespace core {

void print_bash_completion(const ToolInfo& tool, std::span<const Command> commands, std::ostream& os);

}  // namespace core
