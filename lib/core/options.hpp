// The option table of a subcommand: each option declared once, bound to the field it sets (usually a
// member of a lib config struct, whose default member initialiser is the option's only default and is
// what --help prints), with its type and allowed values. Lists, enum choices and cross-option checks
// (require_order) are parsed and checked here, before the subcommand runs.
#pragma once

#include <concepts>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/csv.hpp"
#include "core/errors.hpp"
#include "core/parse.hpp"
#include "core/u128.hpp"

namespace core {

// The unsigned integer types an option can bind (u128 is not std::unsigned_integral in strict C++20).
template <class T>
concept Unsigned = std::unsigned_integral<T> || std::same_as<T, u128>;

// A value as --help and the error messages print it: integers exactly, reals in shortest round-trip form.
inline std::string format_value(double x) {
  return format_double(x);
}
template <Unsigned T>
std::string format_value(T x) {
  return to_string(static_cast<u128>(x));
}

// "--name" for an option declared as "name" or "name,n".
std::string option_name(std::string_view declared);

// The check behind Options::require_order, for values that exist only after resolving defaults: an
// InputError "--FROM: must not exceed --TO, got --FROM x > --TO y" when to < from.
template <class T>
void check_order(std::string_view from_declared, const T& from_value, std::string_view to_declared,
                 const T& to_value) {
  if (to_value < from_value) {
    const std::string from = option_name(from_declared), to = option_name(to_declared);
    throw InputError(from + ": must not exceed " + to + ", got " + from + " " + format_value(from_value) + " > " + to +
                     " " + format_value(to_value));
  }
}

class Options {
 public:
  struct Entry {
    std::string name;     // "method" or "out,o"
    std::string metavar;  // "NAME"; empty for a flag
    std::string help;
    std::string default_text;
    std::function<void(const std::string&)> set;  // converts and stores, or throws InputError
    bool is_flag = false;
    bool* flag_target = nullptr;
  };

  Options& flag(const char* name, bool& target, const char* help);

  template <Unsigned T>
  Options& integer(const char* name, T& target, std::type_identity_t<T> lo, std::type_identity_t<T> hi,
                   const char* help) {
    const std::string what = option_name(name);
    return add({name, "N", help, describe_integer(target), [&target, what, lo, hi](const std::string& s) {
                  target = static_cast<T>(parse_integer(what, s, lo, hi));
                }});
  }

  Options& real(const char* name, double& target, Interval allowed, const char* help);

  // Comma-separated lists ("100,1000,10^4"; "0.1,0.5"); the bound vector's contents are the default.
  template <Unsigned T>
  Options& integer_list(const char* name, std::vector<T>& target, std::type_identity_t<T> lo,
                        std::type_identity_t<T> hi, const char* help) {
    const std::string what = option_name(name);
    return add({name, "LIST", help, join(target), [&target, what, lo, hi](const std::string& s) {
                  std::vector<T> out;
                  for (const auto& item : split_list(what, s))
                    out.push_back(static_cast<T>(parse_integer(what, item, lo, hi)));
                  target = std::move(out);
                }});
  }
  Options& real_list(const char* name, std::vector<double>& target, Interval allowed, const char* help);
  // Sizes in binary units ("1k,16k,1M"; parse_binary_size), printed so by --help.
  Options& binary_size_list(const char* name, std::vector<std::uint64_t>& target, std::uint64_t lo,
                            std::uint64_t hi, const char* help);
  // A real that may be absent (its default: --help prints "none" when it is).
  Options& optional_real(const char* name, std::optional<double>& target, Interval allowed, const char* help);
  Options& text_list(const char* name, std::vector<std::string>& target, const char* help);

  // One of `values`, named by to_string(value) (found by argument-dependent lookup, as every enum of the
  // library has one); --help lists the names.
  template <class E, class Values>
  Options& choice(const char* name, E& target, const Values& values, const char* help) {
    const std::string what = option_name(name);
    const std::vector<E> allowed(std::begin(values), std::end(values));
    const std::string names = name_list(allowed);
    return add({name, "NAME", std::string(help) + " (one of " + names + ")", std::string(to_string(target)),
                [&target, what, allowed, names](const std::string& s) {
                  target = pick(allowed, s, [&] { return what + ": expected one of " + names + ", got '" + s + "'"; });
                }});
  }
  // A comma-separated list of `values` ("fixed,newton"), in the order given.
  template <class E, class Values>
  Options& choice_list(const char* name, std::vector<E>& target, const Values& values, const char* help) {
    const std::string what = option_name(name);
    const std::vector<E> allowed(std::begin(values), std::end(values));
    const std::string names = name_list(allowed);
    return add({name, "LIST", std::string(help) + " (comma-separated: " + names + ")", name_list(target, ","),
                [&target, what, allowed, names](const std::string& s) {
                  std::vector<E> out;
                  for (const auto& item : split_list(what, s))
                    out.push_back(pick(allowed, item, [&] {
                      return what + ": expected a comma-separated list of " + names + ", got '" + s + "'";
                    }));
                  target = std::move(out);
                }});
  }
  // A choice among plain names (kept as text).
  Options& choice(const char* name, std::string& target, std::vector<std::string> allowed, const char* help);
  Options& text(const char* name, std::string& target, const char* metavar, const char* help);
  // A prefix of files to write (PREFIX.keys.f64, ...): checked when parsed, before any work, to be a file
  // name (not a directory) in an existing, writable directory; empty for none.
  Options& output_prefix(const char* name, std::string& target, const char* help);
  // Remaining non-option arguments, as text (the subcommand validates them).
  Options& positional(const char* name, std::vector<std::string>& target, const char* help, const char* default_text);

  // After every option is parsed: an InputError "--FROM: must not exceed --TO, got --FROM x > --TO y" when
  // to < from. The references are read then, so they may be the bound fields themselves.
  template <class T>
  Options& require_order(const char* from, const T& from_value, const char* to, const T& to_value) {
    return check([from, to, &from_value, &to_value] { check_order(from, from_value, to, to_value); });
  }
  // Any other check across options, run after parsing in the order declared (throws InputError).
  Options& check(std::function<void()> fn);

  const std::vector<Entry>& entries() const { return entries_; }
  const Entry* positional_entry() const { return positional_ ? &*positional_ : nullptr; }
  std::vector<std::string>* positional_target() const { return positional_target_; }
  void run_checks() const;

 private:
  Options& add(Entry e);

  template <Unsigned T>
  static std::string join(const std::vector<T>& v) {
    std::string out;
    for (const auto& x : v) out.append(out.empty() ? "" : ",").append(to_string(static_cast<u128>(x)));
    return out;
  }
  template <class E>
  static std::string name_list(const std::vector<E>& v, const char* sep = ", ") {
    std::string out;
    for (const auto& x : v) out.append(out.empty() ? "" : sep).append(to_string(x));
    return out;
  }
  template <class E, class Message>
  static E pick(const std::vector<E>& allowed, const std::string& s, Message message) {
    for (const auto& a : allowed)
      if (to_string(a) == s) return a;
    throw InputError(message());
  }

  std::vector<Entry> entries_;
  std::unique_ptr<Entry> positional_;
  std::vector<std::string>* positional_target_ = nullptr;
  std::vector<std::function<void()>> checks_;
};

}  // namespace core
