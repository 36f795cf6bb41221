// mlderiv.quanta: the quantization model's loss L(n) = a + (b - a) zeta(g+1, n+1) / zeta(g+1) and the
// Chinchilla approach-3 fit L(N, D) = E + A / N^alpha + B / D^beta (lib/quanta).
#include "common.hpp"
#include "core/parse.hpp"
#include "quanta/fit.hpp"
#include "quanta/study.hpp"
#include "quanta/zipf.hpp"

namespace mlderiv_py {

namespace {

constexpr auto declare_curve = [](core::Options& o, quanta::CurveConfig& c) { quanta::declare_options(o, c); };
constexpr auto declare_fit = [](core::Options& o, quanta::FitConfig& c) { quanta::declare_options(o, c); };

py::object zipf_tail_loss(double gamma, const py::object& n, const py::kwargs& kwargs) {
  only(kwargs, {"a", "b"}, "zipf_tail_loss");
  // checked as quanta-scaling curve --gamma, --a, --b
  const auto config =
      configure<quanta::CurveConfig>(declare_curve, with(kwargs, {{"gamma", py::float_(gamma)}}), "zipf_tail_loss");
  const auto ns = contiguous(n);
  std::vector<double> values(ns.data(), ns.data() + ns.size());
  for (double x : values) core::parse_real("n", core::format_double(x), quanta::curve_n_range);
  for (auto& x : values) x = quanta::quanta_loss_curve_point(gamma, config.losses, x).loss;
  if (ns.ndim() == 0) return py::float_(values[0]);
  std::vector<py::ssize_t> shape(ns.shape(), ns.shape() + ns.ndim());
  return to_numpy(std::move(values), shape);
}

py::dict curve(const py::kwargs& kwargs) {
  const auto config = configure<quanta::CurveConfig>(declare_curve, kwargs, "curve");
  const auto s = quanta::curve_study(config);
  py::dict d;
  d["gamma"] = column(s.rows, [](const auto& r) { return r.gamma; });
  d["n"] = column(s.rows, [](const auto& r) { return r.point.n; });
  d["loss"] = column(s.rows, [](const auto& r) { return r.point.loss; });
  d["loss_asymptotic"] = column(s.rows, [](const auto& r) { return r.point.loss_asymptotic; });
  d["tail_ratio"] = column(s.rows, [](const auto& r) { return r.point.tail_ratio; });
  d["n_times_1_minus_ratio"] = column(s.rows, [](const auto& r) { return r.n_times_1_minus_ratio; });
  return d;
}

py::dict estimates(const std::vector<quanta::Estimate>& es) {
  py::dict d;
  for (const auto& e : es) {
    py::dict one;
    one["estimate"] = e.value;
    one["se"] = e.se;
    one["lo95"] = e.lo95;
    one["hi95"] = e.hi95;
    d[py::str(e.name)] = one;
  }
  return d;
}

py::dict law_fit(const quanta::LawFit& f, const std::vector<quanta::Estimate>& es) {
  py::dict d;
  d["rows"] = f.rows;
  d["theta"] = to_numpy(std::vector<double>(f.theta));
  d["parameters"] = [&] {
    py::list names;
    for (auto name : quanta::parameter_names(f.form)) names.append(std::string(name));
    return names;
  }();
  d["objective"] = f.objective;
  d["starts"] = f.starts;
  d["converged_starts"] = f.converged_starts;
  d["starts_at_optimum"] = f.starts_at_optimum;
  std::vector<double> boot;
  for (const auto& t : f.bootstrap) boot.insert(boot.end(), t.begin(), t.end());
  d["bootstrap"] = to_numpy(std::move(boot), {static_cast<py::ssize_t>(f.bootstrap.size()),
                                              static_cast<py::ssize_t>(quanta::parameter_count(f.form))});
  d["bootstrap_failed"] = f.bootstrap_failed;
  d["estimates"] = estimates(es);
  return d;
}

py::dict fit(const py::handle& N, const py::handle& D, const py::handle& loss, const py::kwargs& kwargs) {
  Common common;
  auto config = configure<quanta::FitConfig>(declare_fit, kwargs, "fit", &common);
  config.settings.threads = common.threads, config.settings.seed = common.seed;
  const auto n = contiguous(N), l = contiguous(loss);
  const auto d = D.is_none() ? py::array_t<double, py::array::c_style>(0) : contiguous(D);
  const auto obs = quanta::observations_from_arrays(
      {n.data(), static_cast<std::size_t>(n.size())}, {d.data(), static_cast<std::size_t>(d.size())},
      {l.data(), static_cast<std::size_t>(l.size())}, config.settings.form, "fit");
  const auto r = released([&](const core::Tick& tick) { return quanta::fit_study(config, obs, tick); });
  py::dict out = law_fit(r.main, r.estimates);
  out["excluded"] = config.exclude;
  out["form"] = std::string(quanta::to_string(config.settings.form));
  if (r.every_run) out["every_run"] = law_fit(*r.every_run, r.every_run_estimates);
  return out;
}

}  // namespace

void bind_quanta(py::module_& m) {
  m.doc() =
      "The quantization model of neural scaling (Michaud et al. 2023) and the Chinchilla approach-3 fit "
      "(Hoffmann et al. 2022; Besiroglu et al. 2024).";
  m.def("zipf_tail_loss", &zipf_tail_loss, py::arg("gamma"), py::arg("n"),
        "zipf_tail_loss(gamma, n, a=0, b=1) -> float or array: the loss of a model that knows quanta 1..n when\n"
        "quantum k is used with probability k^-(g+1) / zeta(g+1):\n"
        "    L(n) = a + (b - a) zeta(g+1, n+1) / zeta(g+1)       (Hurwitz zeta; ~ a + (b - a) n^-g / (g zeta(g+1)))\n"
        "gamma > 0, n in [1, 1e15] (a number or an array), a < b (quanta-scaling curve's --gamma, --a, --b).");
  m.def(
      "curve", &curve,
      doc<quanta::CurveConfig>("curve(**options) -> dict of arrays: quanta-scaling curve, the exact L(n) against its\n"
                               "asymptotic form on a log grid of n, one row per (gamma, n).",
                               declare_curve)
          .c_str());
  m.def(
      "fit", &fit, py::arg("N"), py::arg("D"), py::arg("loss"),
      doc<quanta::FitConfig>(
          "fit(N, D, loss, **options) -> dict: the Huber fit of L(N, D) = E + A / N^alpha + B / D^beta on log L\n"
          "(Chinchilla approach 3, as Epoch AI replicated it) from the 4,500-start grid, bootstrapped: theta (log A,\n"
          "log B, log E, alpha, beta), estimates {name: {estimate, se, lo95, hi95}} (E, A, B, alpha, beta, a_N, b_D,\n"
          "G, N_opt, D_opt at C = 1e24 FLOP, ...), starts, bootstrap (resamples x parameters) and, with\n"
          "exclude_highest > 0, every_run (the fit of every run). N: parameters, D: tokens (None for the one-variable\n"
          "forms), loss: nats per token; arrays of one entry per run. As quanta-scaling fit on the same runs.",
          declare_fit, true, true)
          .c_str());
}

}  // namespace mlderiv_py
