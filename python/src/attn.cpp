// mlderiv.attn: softmax statistics (sum p^2, entropy, max p) for rows of scores at scales alpha, on given
// scores or on a seeded batch of q.k scores (lib/attn, the engine attn-sweep and jl-entropy share).
#include "attn/softmax_stats.hpp"
#include "attn/study.hpp"
#include "common.hpp"

namespace mlderiv_py {

namespace {

constexpr auto declare = [](core::Options& o, attn::StatsConfig& c) { attn::declare_options(o, c); };

// The statistics as arrays of shape `shape` + (alphas,), one per field.
py::dict stats_arrays(std::vector<attn::SoftmaxStats> stats, std::vector<py::ssize_t> shape, bool with_mass) {
  py::dict d;
  auto field = [&](const char* name, double attn::SoftmaxStats::*member) {
    py::array_t<double> a(shape);
    auto* data = a.mutable_data();
    for (std::size_t i = 0; i < stats.size(); ++i) data[i] = stats[i].*member;
    d[name] = a;
  };
  field("sum_p2", &attn::SoftmaxStats::sum_p2);
  field("entropy", &attn::SoftmaxStats::entropy);
  field("max_p", &attn::SoftmaxStats::max_p);
  if (with_mass) field("mass", &attn::SoftmaxStats::mass);
  field("max_score", &attn::SoftmaxStats::max_score);
  field("mean_score", &attn::SoftmaxStats::mean_score);
  return d;
}

py::dict softmax_stats(const py::handle& scores, const py::object& alpha, const py::kwargs& kwargs) {
  Common common{false};
  only(kwargs, {"threads"}, "softmax_stats");
  // alpha checked as attn-sweep stats --alphas
  const auto config =
      configure<attn::StatsConfig>(declare, with(kwargs, {{"alphas", alpha}}), "softmax_stats", &common);
  const auto s = contiguous(scores);  // the caller's buffer when it is C-contiguous float64
  if (s.ndim() != 1 && s.ndim() != 2) throw py::value_error("scores: expected a 1-d row or a 2-d array of rows");
  const std::size_t n = static_cast<std::size_t>(s.shape(s.ndim() - 1));
  const std::span<const double> all(s.data(), static_cast<std::size_t>(s.size()));
  auto stats =
      released([&](const core::Tick&) { return attn::softmax_rows_stats(all, n, config.alphas, common.threads); });
  std::vector<py::ssize_t> shape;
  if (s.ndim() == 2) shape.push_back(s.shape(0));
  const bool many = !py::isinstance<py::float_>(alpha) && !py::isinstance<py::int_>(alpha);
  if (many) shape.push_back(static_cast<py::ssize_t>(config.alphas.size()));
  if (shape.empty()) shape.push_back(1);
  py::dict d = stats_arrays(std::move(stats), shape, false);
  if (s.ndim() == 1 && !many)
    for (auto item : d) d[item.first] = item.second.attr("item")();
  return d;
}

py::dict batch_stats(const py::kwargs& kwargs) {
  Common common;
  auto config = configure<attn::StatsConfig>(declare, kwargs, "batch_stats", &common);
  config.threads = common.threads, config.seed = common.seed;
  auto study = released([&](const core::Tick&) { return attn::stats_study(config); });
  const auto rows = static_cast<py::ssize_t>(config.queries), k = static_cast<py::ssize_t>(config.alphas.size());
  py::dict d = stats_arrays(std::move(study.stats), {rows, k}, true);
  d["alphas"] = to_numpy(std::vector<double>(config.alphas));
  const auto dim = static_cast<py::ssize_t>(config.d);
  d["keys"] = to_numpy(std::move(study.draws.keys), {static_cast<py::ssize_t>(config.n), dim});
  d["queries"] = to_numpy(std::move(study.draws.queries), {rows, dim});
  d["engine_seconds"] = study.engine_seconds;
  return d;
}

}  // namespace

void bind_attn(py::module_& m) {
  m.doc() =
      "Softmax statistics: p_j = exp(alpha s_j) / sum_k exp(alpha s_k), with sum p^2, the entropy -sum p ln p "
      "and max p, streamed (lib/attn).";
  m.def("softmax_stats", &softmax_stats, py::arg("scores"), py::arg("alpha"),
        "softmax_stats(scores, alpha, threads=all cores) -> dict of arrays sum_p2, entropy (natural log), max_p,\n"
        "max_score, mean_score of p_j = exp(alpha s_j) / sum_k exp(alpha s_k) for each row of `scores` (1-d: one\n"
        "row; 2-d: rows) at each alpha > 0 (a number or a sequence: a last axis). A C-contiguous float64 array is\n"
        "read in place, without a copy. Rows run on `threads`; the result does not depend on them.");
  m.def("batch_stats", &batch_stats,
        doc<attn::StatsConfig>(
            "batch_stats(**options) -> dict: attn-sweep stats: the statistics of `queries` rows of q.k scores\n"
            "against n keys in d dimensions (gaussian: q, k ~ N(0, I); cosine: unit vectors), drawn from the seed,\n"
            "as arrays of shape (queries, alphas); with the draws themselves, keys (n x d) and queries (queries x d),\n"
            "handed over without a copy.",
            declare, true, true)
            .c_str());
}

}  // namespace mlderiv_py
