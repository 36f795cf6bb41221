"""The ml-derivations library from Python: published ML derivations, reproduced with numbers.

One submodule per topic, the same functions as the C++ library (lib/) and the command-line tools:

    abc     min_sum(n): the minimum of a + b + c with N = a b + c (exact, n up to 2^127 - 1)
    quanta  zipf_tail_loss(gamma, n), curve(), fit(N, D, loss): the quantization model, the Chinchilla fit
    jl      norm_tail(n, eps), ortho_tail(n, eps): the Johnson-Lindenstrauss tail lemmas
    w2      bures(S1, S2), gaussian_bound(): W2 between Gaussians, the score-matching bound of W2
    rnn     random_model(), solve(A, u, scheme=...): the tanh RNN by parallel fixed-point / Newton iteration
    attn    softmax_stats(scores, alpha), batch_stats(): the softmax statistics engine
    rope    rope_sum(b, m, d), rope_min(b, L, d), certify(L, d): the RoPE base bound

Keyword arguments are the command line's options ('--sigma-u' is sigma_u=), with the same defaults and
the same checks: a bad value raises ValueError with the message the tool prints; a numerical failure
raises RuntimeError. threads= and seed= mean what --threads and --seed mean (results do not depend on
threads). Long calls release the GIL and stop on Ctrl-C (KeyboardInterrupt).
"""
import sys as _sys

from ._mlderiv import __version__, abc, attn, claims, jl, quanta, rnn, rope, w2

for _name in ("abc", "quanta", "jl", "w2", "rnn", "attn", "rope"):
    _sys.modules[__name__ + "." + _name] = globals()[_name]

__all__ = ["__version__", "claims", "abc", "quanta", "jl", "w2", "rnn", "attn", "rope"]
