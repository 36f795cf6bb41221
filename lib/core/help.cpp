#include "core/help.hpp"

#include <string>

namespace core {

namespace {

std::string display_name(const std::string& name) {
  // Built by appending: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string&&.
  const auto comma = name.find(',');
  std::string out;
  if (comma != std::string::npos) out.append("-").append(name, comma + 1).append(", ");
  return out.append("--").append(name, 0, comma);
}

// At least two spaces before the text, so that help2man (the man pages) tells the two columns apart.
std::string pad(const std::string& s, std::size_t width) {
  return s + std::string(s.size() + 2 < width ? width - s.size() : 2, ' ');
}

}  // namespace

void print_tool_help(const ToolInfo& tool, std::span<const Command> commands, std::ostream& os) {
  os << tool.name << " " << suite_version() << ": " << tool.summary << "\n\nusage: " << tool.name
     << " SUBCOMMAND [options]\n       " << tool.name << " SUBCOMMAND --help\n\nsubcommands:\n";
  for (const auto& c : commands) os << "  " << pad(c.name, 12) << c.summary << "\n";
  if (!tool.details.empty()) os << "\n" << tool.details << "\n";
  os << "\nOutput is CSV on stdout, or to -o FILE (written atomically, with FILE.meta.json).\n"
        "Exit codes: 0 success, 1 runtime failure, 2 bad input.\n";
}

void print_command_help(const ToolInfo& tool, const Command& c, const Options& opts, std::ostream& os) {
  const auto* pos = opts.positional_entry();
  os << tool.name << " " << c.name << ": " << c.summary << "\n\nusage: " << tool.name << " " << c.name << " [options]"
     << (pos ? " [" + pos->name + " ...]" : "") << "\n";
  auto line = [&os](const std::string& left, const std::string& help, const std::string& def) {
    os << "  " << pad(left, 24) << help;
    if (!def.empty()) os << " [default: " << def << "]";
    os << "\n";
  };
  if (pos) {
    os << "\narguments:\n";
    line(pos->name + " ...", pos->help, pos->default_text);
  }
  os << "\noptions:\n";
  for (const auto& e : opts.entries())
    line(display_name(e.name) + (e.metavar.empty() ? "" : " " + e.metavar), e.help, e.default_text);
  line("-h, --help", "show this help and exit", "");
  // One column a line, its name first: tests/cli read these lines back and compare them with the header.
  for (const auto& set : c.columns) {
    os << "\nColumns" << (set.when.empty() ? "" : " " + set.when) << ":\n";
    for (const auto& col : set.columns) {
      // A column that may hold nan says so, in its own words or in these.
      std::string meaning = col.meaning;
      if (col.nonfinite_ok && meaning.find("nan") == std::string::npos)
        meaning += (meaning.empty() ? "" : "; ") + std::string("may be nan");
      os << "  " << (meaning.empty() ? col.name : pad(col.name, 22) + meaning) << "\n";
    }
  }
  if (!c.details.empty()) os << "\n" << c.details << "\n";
}

}  // namespace core
