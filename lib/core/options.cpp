#include "core/options.hpp"

#include <unistd.h>

#include <filesystem>

namespace core {

std::string option_name(std::string_view declared) {
  std::string out = "--";  // appended: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string&&
  return out.append(declared.substr(0, declared.find(',')));
}

Options& Options::add(Entry e) {
  entries_.push_back(std::move(e));
  return *this;
}

Options& Options::flag(const char* name, bool& target, const char* help) {
  return add({name, "", help, "", nullptr, true, &target});
}

Options& Options::real(const char* name, double& target, Interval allowed, const char* help) {
  const std::string what = option_name(name);
  return add({name, "X", help, format_double(target),
              [&target, what, allowed](const std::string& s) { target = parse_real(what, s, allowed); }});
}

Options& Options::real_list(const char* name, std::vector<double>& target, Interval allowed, const char* help) {
  const std::string what = option_name(name);
  std::string def;
  for (double x : target) def.append(def.empty() ? "" : ",").append(format_double(x));
  return add({name, "LIST", help, def,
              [&target, what, allowed](const std::string& s) { target = parse_real_list(what, s, allowed); }});
}

Options& Options::binary_size_list(const char* name, std::vector<std::uint64_t>& target, std::uint64_t lo,
                                   std::uint64_t hi, const char* help) {
  const std::string what = option_name(name);
  return add({name, "LIST", help, core::binary_size_list(target), [&target, what, lo, hi](const std::string& s) {
                std::vector<std::uint64_t> out;
                for (const auto& item : split_list(what, s)) out.push_back(parse_binary_size(what, item, lo, hi));
                target = std::move(out);
              }});
}

Options& Options::optional_real(const char* name, std::optional<double>& target, Interval allowed, const char* help) {
  const std::string what = option_name(name);
  return add({name, "X", help, target ? format_double(*target) : "none",
              [&target, what, allowed](const std::string& s) { target = parse_real(what, s, allowed); }});
}

Options& Options::text_list(const char* name, std::vector<std::string>& target, const char* help) {
  const std::string what = option_name(name);
  std::string def;
  for (const auto& x : target) def.append(def.empty() ? "" : ",").append(x);
  return add({name, "LIST", help, def, [&target, what](const std::string& s) { target = split_list(what, s); }});
}

Options& Options::choice(const char* name, std::string& target, std::vector<std::string> allowed, const char* help) {
  const std::string what = option_name(name);
  std::string list;
  for (const auto& a : allowed) list.append(list.empty() ? "" : ", ").append(a);
  return add({name, "NAME", std::string(help) + " (one of " + list + ")", target,
              [&target, what, allowed, list](const std::string& s) {
                for (const auto& a : allowed)
                  if (s == a) {
                    target = s;
                    return;
                  }
                throw InputError(what + ": expected one of " + list + ", got '" + s + "'");
              }});
}

Options& Options::text(const char* name, std::string& target, const char* metavar, const char* help) {
  return add({name, metavar, help, target, [&target](const std::string& s) { target = s; }});
}

Options& Options::output_prefix(const char* name, std::string& target, const char* help) {
  const std::string what = option_name(name);
  return add({name, "PREFIX", help, target, [&target, what](const std::string& s) {
                namespace fs = std::filesystem;
                std::error_code ec;
                if (s.back() == '/' || fs::is_directory(s, ec))
                  throw InputError(what + ": expected a file prefix, got the directory '" + s + "'");
                const fs::path dir = fs::path(s).has_parent_path() ? fs::path(s).parent_path() : fs::path(".");
                if (!fs::is_directory(dir, ec))
                  throw InputError(what + ": cannot write '" + s + ".*': no directory '" + dir.string() + "'");
                if (::access(dir.c_str(), W_OK) != 0)
                  throw InputError(what + ": cannot write '" + s + ".*': directory '" + dir.string() + "' is not writable");
                target = s;
              }});
}

Options& Options::positional(const char* name, std::vector<std::string>& target, const char* help,
                             const char* default_text) {
  positional_ = std::make_unique<Entry>(Entry{name, name, help, default_text, nullptr});
  positional_target_ = &target;
  return *this;
}

Options& Options::check(std::function<void()> fn) {
  checks_.push_back(std::move(fn));
  return *this;
}

void Options::run_checks() const {
  for (const auto& c : checks_) c();
}

}  // namespace core
