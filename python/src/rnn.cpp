// mlderiv.rnn: the tanh RNN h_t = tanh(A h_{t-1} + u_t) solved for all t at once by iterated linear
// recurrences (fixed point, perturbation, diagonal, first order, Newton/DEER; lib/rnn).
#include <pybind11/eigen.h>

#include "common.hpp"
#include "rnn/model.hpp"
#include "rnn/study.hpp"

namespace mlderiv_py {

namespace {

constexpr auto declare_model = [](core::Options& o, rnn::RnnConfig& c) {
  rnn::declare_model(o, c);
  rnn::declare_matrix(o, c.matrix);
};
constexpr auto declare_iteration = [](core::Options& o, rnn::SchemeIterationConfig& c) { rnn::declare_options(o, c); };

// rnn-fixpoint converge's model (its defaults), A from stream 0 and u from stream 1 of the seed.
struct ConvergeModel : rnn::RnnConfig {
  ConvergeModel() : rnn::RnnConfig(rnn::ConvergeConfig{}.model) {}
};

py::tuple random_model(const py::kwargs& kwargs) {
  Common common;
  const auto config = configure<ConvergeModel>(declare_model, kwargs, "random_model", &common);
  auto model = rnn::TanhRnn::random(config, common.seed);
  std::vector<double> u = model.u();
  return py::make_tuple(
      model.a(), to_numpy(std::move(u), {static_cast<py::ssize_t>(config.T), static_cast<py::ssize_t>(config.d)}));
}

py::dict solve(const Eigen::MatrixXd& a, const py::handle& u_in, const py::kwargs& kwargs) {
  Common common{false};
  py::kwargs named;
  for (const auto& [k, v] : kwargs)
    named[py::str(k.cast<std::string>() == "scheme" ? "schemes" : k.cast<std::string>())] = v;
  if (!named.contains("schemes")) named["schemes"] = "newton";
  auto config = configure<rnn::SchemeIterationConfig>(declare_iteration, named, "solve", &common);
  config.threads = common.threads;
  const auto u = contiguous(u_in);
  if (a.rows() != a.cols() || a.rows() == 0 || u.ndim() != 2 || u.shape(1) != a.rows() || u.shape(0) == 0)
    throw py::value_error("A, u: expected a d x d matrix A and a T x d array u (T, d >= 1), got A " +
                          std::to_string(a.rows()) + " x " + std::to_string(a.cols()) + " and u of " +
                          std::to_string(u.ndim()) + " dimensions");
  const rnn::TanhRnn model(a, std::vector<double>(u.data(), u.data() + u.size()));
  auto r = released([&](const core::Tick& tick) { return rnn::converge(model, config, tick); });
  py::dict schemes;
  for (const auto& s : r.schemes) {
    const auto& its = s.run.iterations;
    py::dict d;
    d["iteration"] = column(its, [](const auto& i) { return i.n; });
    d["max_error"] = column(its, [](const auto& i) { return i.max_error; });
    d["exact_prefix"] = column(its, [](const auto& i) { return i.exact_prefix; });
    d["residual"] = column(its, [](const auto& i) { return i.residual; });
    d["converged"] = s.run.converged;
    d["diverged"] = s.run.diverged;
    d["newton_ratio"] = s.run.newton_ratio;
    d["summary"] = rnn::describe(s.run);
    schemes[py::str(std::string(rnn::to_string(s.run.scheme)))] = d;
  }
  py::dict out;
  out["schemes"] = schemes;
  out["states"] = to_numpy(std::move(r.states), {u.shape(0), u.shape(1)});
  out["checks_hold"] = r.checks_hold;
  return out;
}

}  // namespace

void bind_rnn(py::module_& m) {
  m.doc() = "Nonlinear RNNs by parallel fixed-point / Newton (DEER) iteration (Lim et al. 2023).";
  m.def(
      "random_model", &random_model,
      doc<ConvergeModel>("random_model(**options) -> (A, u): rnn-fixpoint converge's tanh RNN: A (d x d) of spectral\n"
                         "radius rho and inputs u (T x d) ~ N(0, sigma_u^2), drawn from the seed.",
                         declare_model, false, true)
          .c_str());
  m.def("solve", &solve, py::arg("A"), py::arg("u"),
        doc<rnn::SchemeIterationConfig>(
            "solve(A, u, scheme='newton', **options) -> dict: h_t = tanh(A h_{t-1} + u_t), h_0 = 0, for every t at\n"
            "once by iterating\n"
            "    h_t^(n) - A_t h_{t-1}^(n) = F_t(h_{t-1}^(n-1)) - A_t h_{t-1}^(n-1)\n"
            "with A_t = 0 (fixed), A (perturb), its eigenbasis (diagonal), dF/dh at 0 (first_order) or at h^(n-1)\n"
            "(newton, DEER). states: the sequential solution (T x d, without a copy); schemes: per scheme the\n"
            "iterations' max_error, exact_prefix and residual, as rnn-fixpoint converge. scheme= one name, or\n"
            "schemes= a list.",
            declare_iteration, true)
            .c_str());
}

}  // namespace mlderiv_py
