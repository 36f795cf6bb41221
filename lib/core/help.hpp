// The --help texts (00-suite.md, "--help"): the tool's subcommand list, and a subcommand's usage, options
// with their defaults (read from the bound fields), the CSV columns it writes and its notes.
#pragma once

#include <ostream>
#include <span>

#include "core/cli.hpp"

namespace core {

void print_tool_help(const ToolInfo& tool, std::span<const Command> commands, std::ostream& os);
void print_command_help(const ToolInfo& tool, const Command& command, const Options& options, std::ostream& os);

}  // namespace core
