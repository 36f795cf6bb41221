// mlderiv.jl: the two tail lemmas behind the Johnson–Lindenstrauss lemma, exact, Chernoff, bound and Monte
// Carlo (lib/jl/tails.hpp).
#include "common.hpp"
#include "jl/study.hpp"
#include "jl/tails.hpp"

namespace mlderiv_py {

namespace {

constexpr auto declare = [](core::Options& o, jl::TailConfig& c) { jl::declare_options(o, c); };

template <jl::TailKind Kind>
py::dict tail(const py::object& n, const py::object& eps, const py::kwargs& kwargs) {
  Common common;
  auto config = configure<jl::TailConfig>(declare, with(kwargs, {{"n", n}, {"eps", eps}}),
                                          Kind == jl::TailKind::norm ? "norm_tail" : "ortho_tail", &common);
  config.kind = Kind, config.seed = common.seed, config.threads = common.threads;
  const auto r = released([&](const core::Tick& tick) { return jl::tail_bounds_study(config, tick); });
  py::dict d;
  d["n"] = column(r.rows, [](const auto& w) { return w.n; });
  d["eps"] = column(r.rows, [](const auto& w) { return w.eps; });
  d["exact"] = column(r.rows, [](const auto& w) { return w.exact; });
  d["exact_abs_error"] = column(r.rows, [](const auto& w) { return w.exact_abs_error; });
  d["monte_carlo"] = column(r.rows, [](const auto& w) { return w.monte_carlo; });
  d["mc_stderr"] = column(r.rows, [](const auto& w) { return w.mc_stderr; });
  d["chernoff"] = column(r.rows, [](const auto& w) { return w.chernoff; });
  d["chernoff_via_norm"] = column(r.rows, [](const auto& w) { return w.chernoff_via_norm; });
  d["bound"] = column(r.rows, [](const auto& w) { return w.bound; });
  d["bound_holds"] = column(r.rows, [](const auto& w) { return w.bound_holds; });
  return d;
}

}  // namespace

void bind_jl(py::module_& m) {
  m.doc() = "The Johnson–Lindenstrauss tail lemmas (Dasgupta & Gupta 2003) for u, v with i.i.d. N(0, 1/n) entries.";
  m.def("norm_tail", &tail<jl::TailKind::norm>, py::arg("n"), py::arg("eps"),
        doc<jl::TailConfig>(
            "norm_tail(n, eps, trials=20000) -> dict of arrays, one entry per (n, eps) (n-major; n and eps may be\n"
            "numbers or sequences): P(| |u|^2 - 1 | >= eps) exactly (n |u|^2 is chi^2_n: Q(n/2, n(1+eps)/2) +\n"
            "P(n/2, n(1-eps)/2)), the Chernoff form exp(n(ln(1+eps) - eps)/2) + exp(n(ln(1-eps) + eps)/2), the bound\n"
            "2 exp(-eps^2 n / 8) and a seeded Monte Carlo estimate, as jl-entropy norm-tail.",
            declare, true, true)
            .c_str());
  m.def(
      "ortho_tail", &tail<jl::TailKind::ortho>, py::arg("n"), py::arg("eps"),
      doc<jl::TailConfig>("ortho_tail(n, eps, trials=20000) -> dict of arrays: P(|<u, v>| >= eps) exactly (quadrature\n"
                          "of the law of <u, v>), its Chernoff forms and the bound 4 exp(-eps^2 n / 8), as jl-entropy\n"
                          "ortho-tail.",
                          declare, true, true)
          .c_str());
}

}  // namespace mlderiv_py
