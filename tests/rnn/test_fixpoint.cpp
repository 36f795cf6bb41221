#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "../core/shard_and_merge.hpp"
#include "core/errors.hpp"
#include "core/shard.hpp"
#include "core/sweep.hpp"
#include "rnn/claims.hpp"
#include "rnn/fixpoint.hpp"
#include "rnn/model.hpp"
#include "rnn/study.hpp"

using namespace rnn;

namespace {

RnnConfig config(double rho, double sigma_u, std::size_t T = 200, std::size_t d = 8) {
  RnnConfig c;
  c.d = d;
  c.T = T;
  c.rho = rho;
  c.sigma_u = sigma_u;
  return c;
}

double max_diff(const std::vector<double>& x, const std::vector<double>& y) {
  double m = 0;
  for (std::size_t i = 0; i < x.size(); ++i) m = std::max(m, std::abs(x[i] - y[i]));
  return m;
}

}  // namespace

TEST_CASE("every scheme reaches the sequential RNN to 1e-12 for contractive and non-contractive A, or diverges") {
  for (double rho : {0.5, 0.9, 1.2}) {
    const TanhRnn m = TanhRnn::random(config(rho, 0.5), 3);
    const auto ref = m.sequential();
    for (Scheme s : all_schemes) {
      const auto r = solve_by_iteration(m, ref, s, {});
      INFO("rho " << rho << ", " << to_string(s) << ": " << r.iterations_used() << " iterations");
      CHECK((r.converged || r.diverged));
      if (r.converged) {
        CHECK(r.iterations.back().max_error <= 1e-12);
        CHECK(r.iterations_used() <= m.length());
      }
      if (rho < 1) CHECK(r.converged);
    }
  }
}

TEST_CASE("after n iterations the first n steps are exact, on every iteration of every scheme") {
  const TanhRnn m = TanhRnn::random(config(1.2, 1.0, 150), 5);
  const auto ref = m.sequential();
  for (Scheme s : all_schemes) {
    const auto r = solve_by_iteration(m, ref, s, {});
    INFO(to_string(s));
    CHECK(r.prefix_holds);
    for (const auto& it : r.iterations) CHECK(it.exact_prefix >= std::min(it.n, m.length()));
  }
}

TEST_CASE("Newton converges quadratically in a handful of iterations on a contractive RNN") {
  const TanhRnn m = TanhRnn::random(config(0.9, 0.5, 1000, 16), 1);
  const auto r = solve_by_iteration(m, m.sequential(), Scheme::newton, {});
  REQUIRE(r.converged);
  CHECK(r.iterations_used() <= newton_handful);
  CHECK(r.newton_ratio <= newton_ratio_bound);
  // Quadratic: the number of correct digits roughly doubles once the error is small.
  const auto& it = r.iterations;
  for (std::size_t i = 1; i < it.size(); ++i)
    if (it[i - 1].max_error < 1e-2 && it[i].max_error > 1e-13)
      CHECK(std::log10(it[i].max_error) <= 1.5 * std::log10(it[i - 1].max_error));
}

TEST_CASE("the diagonal scheme gives the dense perturbation scheme's iterates") {
  const TanhRnn m = TanhRnn::random(config(0.7, 0.2, 300), 2);
  const auto ref = m.sequential();
  const auto dense = solve_by_iteration(m, ref, Scheme::perturb, {});
  const auto diag = solve_by_iteration(m, ref, Scheme::diagonal, {});
  REQUIRE(dense.converged);
  REQUIRE(diag.converged);
  CHECK(diag.iterations_used() == dense.iterations_used());
  for (std::size_t i = 0; i < dense.iterations.size(); ++i)
    CHECK(std::abs(diag.iterations[i].max_error - dense.iterations[i].max_error) <= 1e-12);
}

TEST_CASE("the chunked scan inside the iteration gives the same iterates as the sequential one") {
  const TanhRnn m = TanhRnn::random(config(0.9, 0.1, 500), 4);
  const auto ref = m.sequential();
  IterationSettings chunked;
  chunked.chunked = true;
  chunked.plan = {2, 5};
  for (Scheme s : {Scheme::perturb, Scheme::diagonal, Scheme::newton}) {
    const auto a = solve_by_iteration(m, ref, s, {});
    const auto b = solve_by_iteration(m, ref, s, chunked);
    CHECK(a.iterations_used() == b.iterations_used());
    CHECK(b.converged);
  }
}

TEST_CASE("an unstable constant A makes the perturbation iterates overflow: reported as diverged, never as nan") {
  const TanhRnn m = TanhRnn::random(config(1.5, 0.5, 1000, 16), 1);
  const auto ref = m.sequential();
  const auto r = solve_by_iteration(m, ref, Scheme::perturb, {});
  CHECK(r.diverged);
  CHECK(r.diverged_at > 0);
  CHECK(r.iterations.size() == r.diverged_at - 1);
  for (const auto& it : r.iterations) CHECK(std::isfinite(it.max_error));
  CHECK(solve_by_iteration(m, ref, Scheme::fixed, {}).converged);  // no scan, bounded by tanh
}

TEST_CASE("a defective A with the diagonal scheme is bad input unless the fallback is asked for") {
  RnnConfig c = config(0.8, 0.3, 100);
  c.matrix = MatrixKind::jordan;
  const TanhRnn m = TanhRnn::random(c, 1);
  const auto ref = m.sequential();
  CHECK_THROWS_AS(solve_by_iteration(m, ref, Scheme::diagonal, {}), core::InputError);
  IterationSettings s;
  s.diagonal_fallback = true;
  const auto r = solve_by_iteration(m, ref, Scheme::diagonal, s);
  CHECK(r.fell_back);
  CHECK(r.converged);
}

TEST_CASE("the GRU's Jacobian matches finite differences of its step") {
  const Gru g = Gru::random(config(0.9, 0.7, 5, 6), 2);
  const auto h = g.sequential();
  const Recurrence j = g.jacobians(h);
  const std::size_t d = 6, t = 4;
  std::vector<double> prev(h.begin() + (t - 2) * d, h.begin() + (t - 1) * d), up(d), down(d), col(d), e(d, 0.0);
  for (std::size_t k = 0; k < d; ++k) {
    e.assign(d, 0.0);
    e[k] = 1.0;
    j.apply(t, e.data(), col.data());
    auto p = prev, q = prev;
    p[k] += 1e-6;
    q[k] -= 1e-6;
    g.step(t, p.data(), up.data());
    g.step(t, q.data(), down.data());
    for (std::size_t i = 0; i < d; ++i) CHECK(col[i] == Approx((up[i] - down[i]) / 2e-6).margin(1e-8));
  }
}

TEST_CASE("the GRU iteration (A = 1/2 (I + 1/2 U_h)) and Newton reproduce the sequential GRU") {
  const Gru g = Gru::random(config(0.9, 0.5, 300, 8), 1);
  const auto ref = g.sequential();
  for (Scheme s : all_schemes) {
    const auto r = solve_by_iteration(g, ref, s, {});
    INFO(to_string(s));
    CHECK(r.converged);
    CHECK(r.prefix_holds);
  }
  CHECK(solve_by_iteration(g, ref, Scheme::newton, {}).iterations_used() <= newton_handful);
}

TEST_CASE("sweep rows do not depend on the number of threads") {
  SweepConfig c;
  c.d = 4;
  c.base.T = 100;
  c.lengths = {50, 200};
  c.radii = {0.5, 1.3};
  c.input_scales = {0.1, 1.0};
  c.max_iterations = 60;
  auto run = [&](unsigned threads) {
    c.threads = threads;
    return iteration_sweep(c, [] {}).rows;
  };
  const auto one = run(1), two = run(2);
  REQUIRE(one.size() == two.size());
  REQUIRE(one.size() == 6 * 5);
  for (std::size_t i = 0; i < one.size(); ++i) {
    CHECK(one[i].iterations == two[i].iterations);
    CHECK(one[i].final_error == two[i].final_error);
    CHECK(one[i].diverged_at == two[i].diverged_at);
  }
}

TEST_CASE("the sequential RNN is h_t = tanh(A h_(t-1) + u_t) from h_0 = 0") {
  const TanhRnn m = TanhRnn::random(config(0.9, 1.0, 3, 2), 1);
  const auto h = m.sequential();
  const auto& a = m.a();
  const auto& u = m.u();
  double h0 = std::tanh(u[0]), h1 = std::tanh(u[1]);
  CHECK(h[0] == Approx(h0));
  CHECK(h[1] == Approx(h1));
  CHECK(h[2] == Approx(std::tanh(a(0, 0) * h0 + a(0, 1) * h1 + u[2])));
  CHECK(max_diff(m.map(h, 1), m.map(h, 2)) == 0);
}

TEST_CASE("the sweep through 3 shards and a merge gives the whole sweep's rows and tallies") {
  SweepConfig c;
  c.d = 3;
  c.base.T = 40;
  c.lengths = {20, 60};
  c.radii = {0.5, 1.4};
  c.input_scales = {0.05, 2.0};
  c.max_iterations = 50;
  c.threads = 2;
  const auto whole = iteration_sweep(c, [] {});
  const auto merged = shard_and_merge("rnn_sweep", 3, [&](core::Sweep* sweep) {
    return iteration_sweep(
        c, [] {}, sweep);
  });
  REQUIRE(merged.rows.size() == whole.rows.size());
  for (std::size_t i = 0; i < whole.rows.size(); ++i) {
    const auto &w = whole.rows[i], &m = merged.rows[i];
    CHECK(m.point == w.point);
    CHECK(m.axis == w.axis);
    CHECK(m.config.T == w.config.T);
    CHECK(m.config.rho == w.config.rho);
    CHECK(m.config.sigma_u == w.config.sigma_u);
    CHECK(m.scheme == w.scheme);
    CHECK(m.iterations == w.iterations);
    CHECK(m.converged == w.converged);
    CHECK(m.diverged_at == w.diverged_at);
    CHECK(m.final_error == w.final_error);
    CHECK(m.exact_prefix == w.exact_prefix);
    CHECK(m.prefix_holds == w.prefix_holds);
  }
  CHECK(merged.points == whole.points);
  CHECK(merged.perturb_compared == whole.perturb_compared);
  CHECK(merged.perturb_beats_fixed == whole.perturb_beats_fixed);
  CHECK(merged.prefix_lagged == whole.prefix_lagged);
}
