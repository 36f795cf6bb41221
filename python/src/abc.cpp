// mlderiv.abc: the minimum of S = a + b + c over natural numbers with N = a·b + c (lib/abc).
#include <sstream>

#include "abc/min_sum.hpp"
#include "abc/study.hpp"
#include "common.hpp"

namespace mlderiv_py {

namespace {

py::dict solution(const abc::SolveRow& row, abc::Method method) {
  py::dict d;
  d["N"] = to_python(row.n);
  d["a"] = to_python(row.solution.a);
  d["b"] = to_python(row.solution.b);
  d["c"] = to_python(row.solution.c);
  d["S"] = to_python(row.solution.sum);
  d["method"] = std::string(abc::to_string(method));
  d["candidates"] = row.solution.candidates;
  d["naive_S"] = to_python(row.naive);
  return d;
}

// abc-min solve for one N (a dict) or a sequence of N (a list of dicts).
py::object min_sum(const py::object& n, const py::kwargs& kwargs) {
  auto config = configure<abc::SolveConfig>([](core::Options& o, abc::SolveConfig& c) { abc::declare_options(o, c); },
                                            kwargs, "min_sum");
  const bool many = !py::isinstance<py::str>(n) && py::hasattr(n, "__iter__");
  if (many)
    for (const auto item : n) config.numbers.push_back(option_text(item));
  else
    config.numbers.push_back(option_text(n));
  std::istringstream no_stdin;
  const auto numbers = abc::solve_inputs(config, no_stdin);
  const auto result = released([&](const core::Tick& tick) { return abc::solve_study(numbers, config.method, tick); });
  py::list out;
  for (const auto& row : result.rows) out.append(solution(row, result.method));
  return many ? py::object(out) : py::object(out[0]);
}

}  // namespace

void bind_abc(py::module_& m) {
  m.doc() = "The minimum of S = a + b + c over natural numbers with N = a b + c (kexue.fm/archives/9775).";
  m.def("min_sum", &min_sum, py::arg("n"),
        doc<abc::SolveConfig>(
            "min_sum(n, method='auto') -> dict: the exact minimum of S = a + b + c with N = a b + c, a <= b\n"
            "(ties: smallest S, then smallest c), as abc-min solve N. n: a Python int in [0, 2^127-1] (or a\n"
            "sequence of them: a list of dicts). Keys N, a, b, c, S (Python ints), method, candidates (values of a\n"
            "or of p = a + b examined), naive_S (a = b = floor(sqrt N) or b = a + 1).",
            [](core::Options& o, abc::SolveConfig& c) { abc::declare_options(o, c); })
            .c_str());
}

}  // namespace mlderiv_py
