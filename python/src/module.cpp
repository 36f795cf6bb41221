// mlderiv._mlderiv: the library of the suite from Python, one submodule per topic (python/mlderiv/__init__.py
// re-exports them as mlderiv.abc, mlderiv.quanta, ...), every published claim (claims()) and the version.
#include <algorithm>
#include <cstdint>
#include <span>
#include <string>

#include "abc/claims.hpp"
#include "attn/claims.hpp"
#include "common.hpp"
#include "core/claims.hpp"
#include "core/cli.hpp"
#include "core/parallel.hpp"
#include "core/version.hpp"
#include "jl/claims.hpp"
#include "quanta/claims.hpp"
#include "rnn/claims.hpp"
#include "rope/claims.hpp"
#include "w2/claims.hpp"

namespace mlderiv_py {

std::string option_text(const py::handle& value) {
  if (py::isinstance<py::str>(value)) return value.cast<std::string>();
  if (py::isinstance<py::bool_>(value)) return value.cast<bool>() ? "true" : "false";
  if (py::isinstance<py::float_>(value)) return py::repr(py::float_(value.cast<double>())).cast<std::string>();
  if (py::hasattr(value, "dtype") && py::hasattr(value, "shape") && py::len(value.attr("shape")) == 0)
    return option_text(value.attr("item")());  // a NumPy scalar or 0-d array
  if (py::isinstance<py::int_>(value) || (!py::hasattr(value, "shape") && py::hasattr(value, "__index__")))
    return py::str(py::int_(py::reinterpret_borrow<py::object>(value)));
  if (py::isinstance<py::sequence>(value) || py::hasattr(value, "__iter__")) {
    std::string out;
    for (const auto item : value) out.append(out.empty() ? "" : ",").append(option_text(item));
    return out;
  }
  return py::str(value).cast<std::string>();
}

Common::Common(bool seed) : threads(core::hardware_threads()), takes_seed(seed) {}

namespace {

std::string long_name(const std::string& declared) {
  return declared.substr(0, declared.find(','));
}

}  // namespace

void apply(core::Options& options, const py::kwargs& kwargs, const char* function, Common* common) {
  if (common) {
    core::declare_threads(options, common->threads);
    if (common->takes_seed) core::declare_seed(options, common->seed);
  }
  for (const auto& [key, value] : kwargs) {
    std::string name = key.cast<std::string>();
    for (auto& ch : name)
      if (ch == '_') ch = '-';
    const core::Options::Entry* entry = nullptr;
    for (const auto& e : options.entries())
      if (long_name(e.name) == name) entry = &e;
    if (!entry)
      throw py::type_error(std::string(function) + "() got an unexpected keyword argument '" + key.cast<std::string>() +
                           "'");
    if (value.is_none()) continue;  // the default
    if (entry->is_flag)
      *entry->flag_target = value.cast<bool>();
    else
      entry->set(option_text(value));
  }
  options.run_checks();
}

py::kwargs with(const py::kwargs& kwargs, std::initializer_list<std::pair<const char*, py::object>> named) {
  py::kwargs out;
  for (const auto& [k, v] : kwargs) out[k] = v;
  for (const auto& [k, v] : named) {
    if (out.contains(k)) throw py::type_error(std::string("got multiple values for argument '") + k + "'");
    out[k] = v;
  }
  return out;
}

void only(const py::kwargs& kwargs, std::initializer_list<const char*> allowed, const char* function) {
  for (const auto& [k, v] : kwargs) {
    const auto key = k.cast<std::string>();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      throw py::type_error(std::string(function) + "() got an unexpected keyword argument '" + key + "'");
  }
}

std::string describe_options(const core::Options& options, bool threads, bool seed) {
  std::string out = "Keyword arguments (the command line's options, '-' written '_'; default in brackets):";
  auto line = [&](const std::string& name, const std::string& def, const std::string& help) {
    std::string key = long_name(name);
    for (auto& ch : key)
      if (ch == '-') ch = '_';
    out += "\n    " + key + (def.empty() ? "" : " [" + def + "]") + ": " + help;
  };
  for (const auto& e : options.entries()) line(e.name, e.is_flag ? "False" : e.default_text, e.help);
  if (threads) line("threads", "all cores", "worker threads; results do not depend on it");
  if (seed) line("seed", "1", "random seed; the same seed gives the same random draws");
  return out;
}

py::array_t<double, py::array::c_style> contiguous(const py::handle& a) {
  return py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(a);
}

py::int_ to_python(core::u128 v) {
  return py::reinterpret_steal<py::int_>(PyLong_FromString(core::to_string(v).c_str(), nullptr, 10));
}

namespace {

// Every claim of every tool, as records pandas.DataFrame takes as they are.
py::list claims() {
  const std::pair<const char*, std::span<const core::Claim>> tables[] = {
      {"abc-min", abc::claims()},     {"quanta-scaling", quanta::claims()}, {"jl-entropy", jl::claims()},
      {"score-w2", w2::claims()},     {"rnn-fixpoint", rnn::claims()},      {"attn-sweep", attn::claims()},
      {"attn-sweep", rope::claims()},
  };
  py::list out;
  for (const auto& [tool, table] : tables)
    for (const auto& c : table) {
      py::dict d;
      d["tool"] = tool;
      d["key"] = std::string(c.key);
      d["claim"] = std::string(c.claim);
      d["source"] = std::string(c.source);
      d["published"] = std::string(c.published);
      d["value"] = c.value;
      d["tolerance"] = c.tolerance;
      d["quick"] = c.quick;
      out.append(d);
    }
  return out;
}

}  // namespace

}  // namespace mlderiv_py

PYBIND11_MODULE(_mlderiv, m) {
  using namespace mlderiv_py;
  m.doc() = "The ml-derivations library: published ML derivations, reproduced with numbers.";
  m.attr("__version__") = std::string(core::suite_version());
  m.def("claims", &claims,
        "Every published claim the tools check, one dict per claim (tool, key, claim, source, published, value,\n"
        "tolerance, quick): pandas.DataFrame(mlderiv.claims()) is the table. `TOOL reproduce` measures them.");
  m.def(
      "_buffer_address", [](const py::handle& a) { return reinterpret_cast<std::uintptr_t>(contiguous(a).data()); },
      "The address of the float64 buffer a function reads for `a` (the caller's own when no copy is needed).");
  auto add = [&m](const char* name, void (*bind)(py::module_&)) {
    auto sub = m.def_submodule(name);
    bind(sub);
  };
  add("abc", bind_abc);
  add("quanta", bind_quanta);
  add("jl", bind_jl);
  add("w2", bind_w2);
  add("rnn", bind_rnn);
  add("attn", bind_attn);
  add("rope", bind_rope);
}
