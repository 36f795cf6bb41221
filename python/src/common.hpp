// What every submodule of the Python module shares: keyword arguments read by the CLI's own option
// tables (lib/<topic>/study.hpp declare_options: one source of defaults, ranges and error messages for
// the command line and Python), long calls with the GIL released and Ctrl-C checked from the study's Tick,
// and std::vectors handed to NumPy without a copy. Bad input is core::InputError (ValueError), a numerical
// failure core::NumericalError (RuntimeError): pybind11 translates both std:: bases as such.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/options.hpp"
#include "core/progress.hpp"
#include "core/u128.hpp"

namespace mlderiv_py {

namespace py = pybind11;

// The text the command line would have been given for a Python value: ints exactly, floats in their
// shortest round-trip form (repr), strings as they are, sequences and arrays comma-separated.
std::string option_text(const py::handle& value);

// The threads= (and, where the subcommand draws at random, seed=) a study takes, with the CLI's defaults
// (all cores; 1) and checks.
struct Common {
  unsigned threads;
  std::uint64_t seed = 1;
  bool takes_seed;
  explicit Common(bool takes_seed = true);
};

// Sets the options of `options` named by the keyword arguments (threads=, seed=, max_iter= for
// --max-iter), then runs the table's checks: an InputError carries the CLI's message. An unknown keyword
// is a TypeError. `common` (when given) takes threads= and seed=.
void apply(core::Options& options, const py::kwargs& kwargs, const char* function, Common* common = nullptr);

// kwargs with the positional arguments added under their option names (TypeError when one is also given
// by keyword).
py::kwargs with(const py::kwargs& kwargs, std::initializer_list<std::pair<const char*, py::object>> named);
// TypeError unless every keyword is one of `allowed` (a function that takes only some of a table's options).
void only(const py::kwargs& kwargs, std::initializer_list<const char*> allowed, const char* function);

// "Keyword arguments (the CLI's options; default in brackets):" and one line per option, for docstrings.
std::string describe_options(const core::Options& options, bool threads, bool seed);

// A config of type Config, default-constructed and set from kwargs through declare(options, config).
template <class Config, class Declare>
Config configure(Declare declare, const py::kwargs& kwargs, const char* function, Common* common = nullptr) {
  Config config{};
  core::Options options;
  declare(options, config);
  apply(options, kwargs, function, common);
  return config;
}

// The docstring of a function whose keywords come from declare(options, Config{}).
template <class Config, class Declare>
std::string doc(const char* head, Declare declare, bool threads = false, bool seed = false) {
  Config config{};
  core::Options options;
  declare(options, config);
  return std::string(head) + "\n\n" + describe_options(options, threads, seed);
}

// Raised by the Tick when Python has a pending signal (Ctrl-C): unwinds the study.
struct Interrupted : std::exception {
  const char* what() const noexcept override { return "interrupted"; }
};

// Runs f(tick) with the GIL released. The tick, called by the study once per unit of work from any thread,
// checks Python's signal handlers at most every 50 ms on the calling thread (the only one that can run
// them), so Ctrl-C ends the call within a second with KeyboardInterrupt.
template <class F>
auto released(F&& f) {
  const auto caller = std::this_thread::get_id();
  std::atomic<bool> interrupted{false};
  std::atomic<std::int64_t> next_check{0};
  const core::Tick tick = [&] {
    if (interrupted.load(std::memory_order_relaxed)) throw Interrupted{};
    if (std::this_thread::get_id() != caller) return;
    const std::int64_t now = std::chrono::steady_clock::now().time_since_epoch() / std::chrono::milliseconds(1);
    if (now < next_check.load(std::memory_order_relaxed)) return;
    next_check.store(now + 50, std::memory_order_relaxed);
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) {
      interrupted = true;
      throw Interrupted{};
    }
  };
  try {
    py::gil_scoped_release release;
    return f(tick);
  } catch (const Interrupted&) {
    throw py::error_already_set();  // the KeyboardInterrupt PyErr_CheckSignals left set
  }
}

// A vector handed to NumPy without a copy: the array owns it (through a capsule). shape's product must be
// v.size().
template <class T>
py::array_t<T> to_numpy(std::vector<T>&& v, std::vector<py::ssize_t> shape) {
  auto* owner = new std::vector<T>(std::move(v));
  py::capsule free_when_done(owner, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>(shape, owner->data(), free_when_done);
}
template <class T>
py::array_t<T> to_numpy(std::vector<T>&& v) {
  const auto n = static_cast<py::ssize_t>(v.size());
  return to_numpy(std::move(v), {n});
}

// One column of a table of structs as a NumPy array (filled in place).
template <class Row, class Get>
auto column(const std::vector<Row>& rows, Get get) {
  using T = std::decay_t<decltype(get(rows.front()))>;
  py::array_t<T> out(static_cast<py::ssize_t>(rows.size()));
  auto* data = out.mutable_data();
  for (std::size_t i = 0; i < rows.size(); ++i) data[i] = get(rows[i]);
  return out;
}

// A C-contiguous float64 view of `a`: the caller's buffer itself when it is one (no copy), else a
// converted copy (a list, another dtype, a strided view).
py::array_t<double, py::array::c_style> contiguous(const py::handle& a);

// Exact Python int of an unsigned 128-bit integer.
py::int_ to_python(core::u128 v);

void bind_abc(py::module_& m);
void bind_quanta(py::module_& m);
void bind_jl(py::module_& m);
void bind_w2(py::module_& m);
void bind_rnn(py::module_& m);
void bind_attn(py::module_& m);
void bind_rope(py::module_& m);

}  // namespace mlderiv_py
