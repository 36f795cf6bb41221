// mlderiv.w2: the 2-Wasserstein distance between Gaussians (Bures) and the score-matching bound of W2 under
// the VP diffusion for Gaussian data (lib/w2).
#include <pybind11/eigen.h>

#include "common.hpp"
#include "w2/bures.hpp"
#include "w2/study.hpp"

namespace mlderiv_py {

namespace {

constexpr auto declare = [](core::Options& o, w2::GaussianSweep& s) { w2::declare_options(o, s); };

double bures(const w2::Matrix& s1, const w2::Matrix& s2, std::optional<w2::Vector> m1, std::optional<w2::Vector> m2) {
  const auto d = s1.rows();
  return w2::bures_w2({m1.value_or(w2::Vector::Zero(d)), s1}, {m2.value_or(w2::Vector::Zero(s2.rows())), s2});
}

py::dict gaussian_bound(const py::kwargs& kwargs) {
  Common common{false};
  auto sweep = configure<w2::GaussianSweep>(declare, kwargs, "gaussian_bound", &common);
  sweep.threads = common.threads;
  const auto s = released([&](const core::Tick& tick) { return w2::gaussian_study(sweep, tick); });
  const auto& rows = s.rows;
  py::dict d;
  d["d"] = column(rows, [](const auto& r) { return static_cast<unsigned>(r.input.data.mean.size()); });
  py::list labels, errors, priors;
  for (const auto& r : rows) {
    labels.append(r.input.data.label);
    errors.append(std::string(w2::to_string(r.input.error)));
    priors.append(std::string(w2::to_string(r.input.prior)));
  }
  d["variances"] = labels;
  d["error"] = errors;
  d["prior"] = priors;
  d["eta"] = column(rows, [](const auto& r) { return r.input.eta; });
  d["W2"] = column(rows, [](const auto& r) { return r.result.w2; });
  d["W2_coupling"] = column(rows, [](const auto& r) { return r.result.w2_coupling; });
  d["W2_T"] = column(rows, [](const auto& r) { return r.result.w2_at_T; });
  for (w2::LipschitzForm f : w2::lipschitz_forms) {
    const std::string suffix = "_" + std::string(w2::to_string(f));
    d[py::str("drift_term" + suffix)] = column(rows, [f](const auto& r) { return r.result.terms.drift_term[f]; });
    d[py::str("growth" + suffix)] = column(rows, [f](const auto& r) { return r.result.terms.growth[f]; });
    d[py::str("bound" + suffix)] = column(rows, [f](const auto& r) { return r.verdict.bound[f]; });
    d[py::str("ratio" + suffix)] = column(rows, [f](const auto& r) { return r.verdict.ratio[f]; });
    d[py::str("holds" + suffix)] = column(rows, [f](const auto& r) { return r.verdict.holds[f]; });
  }
  d["coupling_holds"] = column(rows, [](const auto& r) { return r.verdict.coupling_holds; });
  d["chain_holds"] = column(rows, [](const auto& r) { return r.verdict.chain_holds; });
  return d;
}

}  // namespace

void bind_w2(py::module_& m) {
  m.doc() = "Score matching as an upper bound of the W2 distance in diffusion models; W2 between Gaussians.";
  m.def("bures", &bures, py::arg("S1"), py::arg("S2"), py::arg("m1") = py::none(), py::arg("m2") = py::none(),
        "bures(S1, S2, m1=None, m2=None) -> float: W2 between N(m1, S1) and N(m2, S2) (means default to 0):\n"
        "    W2^2 = |m1 - m2|^2 + tr S1 + tr S2 - 2 tr (S1^1/2 S2 S1^1/2)^1/2\n"
        "computed as |m1 - m2|^2 + tr((I - A) S1 (I - A)^T) with the optimal map's A, which keeps the small\n"
        "distance of nearby covariances. S1 symmetric positive definite, S2 symmetric positive semi-definite;\n"
        "ValueError for mismatched shapes, RuntimeError for an indefinite covariance.");
  m.def("gaussian_bound", &gaussian_bound,
        doc<w2::GaussianSweep>(
            "gaussian_bound(**options) -> dict of arrays, one entry per (d, variances, error, eta, prior), as\n"
            "score-w2 gaussian: for Gaussian data under the VP diffusion with a score error of size eta, the exact\n"
            "W2[p_0, q_0], the synchronous coupling W~2(0) and the bound\n"
            "    W2[p_0, q_0] <= W~2(0) <= int_0^T I_t e_t dt + I_T W2[p_T, q_T],  I_t = exp(int_0^t L_s ds)\n"
            "with L_t in three forms: proof (of g_t, as stated), backward (of -g_t) and twosided (|Dg_t|).",
            declare, true)
            .c_str());
}

}  // namespace mlderiv_py
