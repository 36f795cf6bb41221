// A sweep's rows as text, exactly: what a shard file holds (core/sweep.hpp) and merge reads back. A row is
// written as space-separated tokens that read back to the same bits: reals as C99 hex floats ("%a": every
// double, -0, inf and nan included), integers in decimal (u128 too), bools as 0/1, enums as their
// underlying integer, strings percent-escaped, vectors and optionals with a count first. A struct lists its
// members once, for both directions, in a `fields` function found by argument-dependent lookup:
//
//   template <class Io> void fields(Io& io, Solution& s) { io(s.a, s.b, s.c, s.sum, s.candidates); }
#pragma once

#include <array>
#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/u128.hpp"

namespace core {

class RowWriter {
 public:
  template <class... T>
  void operator()(const T&... values) {
    (put(values), ...);
  }
  const std::string& text() const { return text_; }

 private:
  void token(std::string_view t) { text_.append(text_.empty() ? "" : " ").append(t); }
  void put(bool v) { token(v ? "1" : "0"); }
  void put(double v);
  void put(float v) { put(static_cast<double>(v)); }
  void put(long double v);
  void put(u128 v) { token(to_string(v)); }
  void put(const std::string& v);
  template <std::signed_integral T>
  void put(T v) {
    token(std::to_string(static_cast<long long>(v)));
  }
  template <std::unsigned_integral T>
  requires(!std::same_as<T, bool>) void put(T v) { token(std::to_string(static_cast<unsigned long long>(v))); }
  template <class E>
  requires std::is_enum_v<E>
  void put(E v) { put(static_cast<std::underlying_type_t<E>>(v)); }
  template <class T>
  void put(const std::vector<T>& v) {
    put(v.size());
    for (const auto& x : v) put(static_cast<const T&>(x));
  }
  template <class T, std::size_t N>
  void put(const std::array<T, N>& v) {
    for (const auto& x : v) put(x);
  }
  template <class T>
  void put(const std::optional<T>& v) {
    put(v.has_value());
    if (v) put(*v);
  }
  template <class A, class B>
  void put(const std::pair<A, B>& v) {
    put(v.first);
    put(v.second);
  }
  // A struct: its `fields` takes a mutable reference so that one list serves both directions; writing only
  // reads the members.
  template <class S>
  requires std::is_class_v<S>
  void put(const S& s) { fields(*this, const_cast<S&>(s)); }
  std::string text_;
};

// InputError "WHAT: ..." when the text is not a row of the expected shape (a truncated or edited shard).
class RowReader {
 public:
  RowReader(std::string_view text, std::string what) : text_(text), what_(std::move(what)) {}
  template <class... T>
  void operator()(T&... values) {
    (get(values), ...);
  }
  // Every token consumed (InputError otherwise).
  void finish() const;

 private:
  std::string_view token();
  [[noreturn]] void fail(std::string_view why) const;
  void get(bool& v);
  void get(double& v);
  void get(float& v) {
    double d;
    get(d);
    v = static_cast<float>(d);
  }
  void get(long double& v);
  void get(u128& v);
  void get(std::string& v);
  long long signed_value();
  unsigned long long unsigned_value();
  template <std::signed_integral T>
  void get(T& v) {
    v = static_cast<T>(signed_value());
  }
  template <std::unsigned_integral T>
  requires(!std::same_as<T, bool>) void get(T& v) { v = static_cast<T>(unsigned_value()); }
  template <class E>
  requires std::is_enum_v<E>
  void get(E& v) {
    std::underlying_type_t<E> u;
    get(u);
    v = static_cast<E>(u);
  }
  template <class T>
  void get(std::vector<T>& v) {
    std::size_t n = 0;
    get(n);
    if (n > text_.size()) fail("a list longer than the row");  // each item takes at least one character
    v.clear();
    v.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      T x{};
      get(x);
      v.push_back(std::move(x));
    }
  }
  template <class T, std::size_t N>
  void get(std::array<T, N>& v) {
    for (auto& x : v) get(x);
  }
  template <class T>
  void get(std::optional<T>& v) {
    bool has = false;
    get(has);
    if (!has) {
      v.reset();
      return;
    }
    T x{};
    get(x);
    v = std::move(x);
  }
  template <class A, class B>
  void get(std::pair<A, B>& v) {
    get(v.first);
    get(v.second);
  }
  template <class S>
  requires std::is_class_v<S>
  void get(S& s) { fields(*this, s); }

  std::string_view text_;
  std::size_t at_ = 0;
  std::string what_;
};

template <class T>
std::string encode_row(const T& row) {
  RowWriter w;
  w(row);
  return w.text();
}

template <class T>
T decode_row(std::string_view text, const std::string& what) {
  RowReader r(text, what);
  T row{};
  r(row);
  r.finish();
  return row;
}

}  // namespace core
