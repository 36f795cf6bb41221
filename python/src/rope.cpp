// mlderiv.rope: the RoPE long-range sum f_b(m) = sum_i cos(m b^(-2i/d)) and the smallest base b*(L) with
// f_b(m) >= 0 for every m < L (Men et al. 2024; lib/rope).
#include <cmath>

#include "common.hpp"
#include "rope/rope_sum.hpp"
#include "rope/search.hpp"
#include "rope/study.hpp"

namespace mlderiv_py {

namespace {

constexpr auto declare = [](core::Options& o, rope::BaseConfig& c) { rope::declare_options(o, c); };
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

bool sequence(const py::object& x) {
  return !py::isinstance<py::str>(x) && py::hasattr(x, "__iter__");
}

py::object rope_min(const py::object& b, const py::object& L, const py::kwargs& kwargs) {
  Common common{false};
  auto config = configure<rope::BaseConfig>(declare, with(kwargs, {{"base", b}, {"L", L}}), "rope_min", &common);
  config.threads = common.threads;
  const auto rows = released([&](const core::Tick&) { return rope::check_base(config); });
  py::list out;
  for (const auto& r : rows) {
    py::dict d;
    d["L"] = r.L;
    d["min_f"] = r.scan.min_f;
    d["argmin"] = r.scan.argmin;
    d["first_negative"] = r.scan.first_negative;
    d["feasible"] = r.scan.feasible();
    d["error_bound"] = r.error_bound.value_or(nan);
    out.append(d);
  }
  return sequence(L) ? py::object(out) : py::object(out[0]);
}

py::object certify(const py::object& L, const py::kwargs& kwargs) {
  Common common{false};
  auto config = configure<rope::BaseConfig>(declare, with(kwargs, {{"L", L}}), "certify", &common);
  config.threads = common.threads;
  if (!kwargs.contains("certify_max"))
    for (auto l : config.lengths) config.certify_max = std::max(config.certify_max, l);
  const auto study = released([&](const core::Tick& tick) {
    config.poll = tick;  // Ctrl-C within a certificate too
    return rope::base_study(config, tick);
  });
  py::list out;
  for (const auto& r : study.rows) {
    py::dict d;
    d["L"] = r.L;
    d["b_grid"] = r.grid.b;
    d["b_grid_below"] = r.grid.b_below;
    d["refuter_below_m"] = r.grid.refuter_below;
    d["min_f_at_grid"] = r.grid.at_result.min_f;
    d["grid_checks"] = r.grid.checks;
    const bool cert = r.certificate.has_value();
    d["b_star_lo"] = cert ? r.certificate->b_lo : nan;
    d["b_star_hi"] = cert ? r.certificate->b_hi : nan;
    d["certified"] = cert && r.certificate->certified;
    d["cert_intervals"] = cert ? r.certificate->intervals : 0;
    d["min_f_at_star_hi"] = cert ? r.certificate->at_hi.min_f : nan;
    d["paper_b"] = r.paper ? r.paper->b : nan;
    d["ci_estimate"] = r.ci_estimate;
    out.append(d);
  }
  return sequence(L) ? py::object(out) : py::object(out[0]);
}

}  // namespace

void bind_rope(py::module_& m) {
  m.doc() =
      "RoPE: f_b(m) = sum_{i<d/2} cos(m b^(-2i/d)) and the smallest base b*(L) with f_b(m) >= 0 for all m < L "
      "(Men et al. 2024).";
  m.def(
      "rope_sum", [](double b, std::uint64_t mm, unsigned d) { return rope::rope_sum(b, mm, d); }, py::arg("b"),
      py::arg("m"), py::arg("d") = rope::BaseConfig{}.d,
      "rope_sum(b, m, d=128) -> float: f_b(m) = sum_{i=0}^{d/2-1} cos(m theta_i), theta_i = b^(-2i/d) (radians).");
  m.def("rope_min", &rope_min, py::arg("b"), py::arg("L"),
        doc<rope::BaseConfig>(
            "rope_min(b, L, d=128, precision='double') -> dict: min over m < L of f_b(m), where (argmin), the first m\n"
            "with f_b(m) < 0 (-1: none), feasible (f_b(m) >= 0 for every m < L) and the rounding bound of the double\n"
            "scan, as attn-sweep rope-base --base b --L L. L may be a list (a list of dicts).",
            declare, true)
            .c_str());
  m.def("certify", &certify, py::arg("L"),
        doc<rope::BaseConfig>(
            "certify(L, d=128, rel=1e-6) -> dict: b*(L) = inf{b : f_b(m) >= 0 for m < L} bracketed and certified:\n"
            "every b in [1, b_star_lo) is refuted on sub-intervals with interval bounds, b_star_hi is feasible beyond\n"
            "the rounding bound; with the published grid search's b_grid, the paper's entry paper_b (d = 128) and\n"
            "the d -> inf estimate L/x0 (attn-sweep rope-base). certify_max defaults to the largest L here.",
            declare, true)
            .c_str());
}

}  // namespace mlderiv_py
