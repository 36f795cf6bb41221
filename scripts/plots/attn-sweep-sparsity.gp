# attn-sweep sparsity: S = E|a| / sqrt(E a^2), the fraction of keys holding 95% of the mass and the Gini index;
# lines: closed forms (quadrature where none: relu2's Gini), points: Monte Carlo / direct sums.
set terminal pngcairo size 1500,900 font ",11" noenhanced
set output png
set datafile separator ","
set datafile missing "nan"
set multiplot layout 2,3 title "attn-sweep sparsity: three measures of how sparse a = f(q.k) is (lines: closed forms or quadrature; points: Monte Carlo; positive_linear: Monte Carlo only)"
ks = "exp identity relu2 positive_linear"
set xlabel "gamma = sigma |q|"
set key top left maxrows 3 font ",9" samplen 2
# Top row: the four kernels at beta = 0 (and relu2 at beta = -1, dashed), against gamma.
set title "S (smaller is sparser)"
set ylabel "S"
set yrange [0:1.45]
plot for [i = 1:4] csv using 3:(strcol(1) eq word(ks, i) && $2 == 0 ? $6 : 1/0) skip 1 with lines lw 2 lc i title word(ks, i), \
     for [i = 1:4] csv using 3:(strcol(1) eq word(ks, i) && $2 == 0 ? $7 : 1/0) skip 1 with points pt 7 ps 0.7 lc i notitle, \
     csv using 3:(strcol(1) eq "relu2" && $2 == -1 ? $6 : 1/0) skip 1 with lines dt 2 lw 2 lc 3 title "relu2, beta = -1", \
     csv using 3:(strcol(1) eq "relu2" && $2 == -1 ? $7 : 1/0) skip 1 with points pt 6 ps 0.9 lc 3 notitle
set title "mass95: fraction of keys holding 95% of sum |a| (smaller is sparser)"
set ylabel "mass95 (n -> inf)"
set yrange [0:1.45]
plot for [i = 1:3] csv using 3:(strcol(1) eq word(ks, i) && $2 == 0 ? $13 : 1/0) skip 1 with lines lw 2 lc i title word(ks, i), \
     csv using 3:(strcol(1) eq "positive_linear" && $2 == 0 ? $14 : 1/0) skip 1 with lines dt 3 lw 2 lc 4 title "positive_linear (MC)", \
     for [i = 1:4] csv using 3:(strcol(1) eq word(ks, i) && $2 == 0 ? $14 : 1/0) skip 1 with points pt 7 ps 0.7 lc i notitle, \
     csv using 3:(strcol(1) eq "relu2" && $2 == -1 ? $13 : 1/0) skip 1 with lines dt 2 lw 2 lc 3 title "relu2, beta = -1", \
     csv using 3:(strcol(1) eq "relu2" && $2 == -1 ? $14 : 1/0) skip 1 with points pt 6 ps 0.9 lc 3 notitle
set title "Gini index of |a| (larger is sparser)"
set ylabel "Gini"
set yrange [0:1.55]
plot for [i = 1:3] csv using 3:(strcol(1) eq word(ks, i) && $2 == 0 ? $17 : 1/0) skip 1 with lines lw 2 lc i title word(ks, i), \
     csv using 3:(strcol(1) eq "positive_linear" && $2 == 0 ? $18 : 1/0) skip 1 with lines dt 3 lw 2 lc 4 title "positive_linear (MC)", \
     for [i = 1:4] csv using 3:(strcol(1) eq word(ks, i) && $2 == 0 ? $18 : 1/0) skip 1 with points pt 7 ps 0.7 lc i notitle, \
     csv using 3:(strcol(1) eq "relu2" && $2 == -1 ? $17 : 1/0) skip 1 with lines dt 2 lw 2 lc 3 title "relu2, beta = -1", \
     csv using 3:(strcol(1) eq "relu2" && $2 == -1 ? $18 : 1/0) skip 1 with points pt 6 ps 0.9 lc 3 notitle
# Bottom row: the decaying linear RNN against its length n.
set xlabel "n"
set logscale x
set xrange [1:20000]
set key bottom left
ls = "0.5 0.9 0.99"
set title "decaying linear RNN: S (points: the finite sum)"
set ylabel "S"
set yrange [0:1.05]
plot for [i = 1:3] csv using 5:(strcol(1) eq "linear_rnn" && $4 == word(ls, i) ? $6 : 1/0) skip 1 with lines lw 2 lc i title "lambda = ".word(ls, i), \
     for [i = 1:3] csv using 5:(strcol(1) eq "linear_rnn" && $4 == word(ls, i) ? $7 : 1/0) skip 1 with points pt 7 ps 0.7 lc i notitle
set title "linear RNN: mass95 = keys / n (keys -> ceil(ln 0.05 / ln lambda))"
set ylabel "mass95"
set logscale y
set yrange [1e-4:2]
plot for [i = 1:3] csv using 5:(strcol(1) eq "linear_rnn" && $4 == word(ls, i) ? $12 : 1/0) skip 1 with lines lw 2 lc i title "lambda = ".word(ls, i), \
     for [i = 1:3] csv using 5:(strcol(1) eq "linear_rnn" && $4 == word(ls, i) ? $14 : 1/0) skip 1 with points pt 7 ps 0.7 lc i notitle
unset logscale y
set title "linear RNN: Gini index of its n weights"
set ylabel "Gini"
set yrange [0:1.05]
set key top left
plot for [i = 1:3] csv using 5:(strcol(1) eq "linear_rnn" && $4 == word(ls, i) ? $16 : 1/0) skip 1 with lines lw 2 lc i title "lambda = ".word(ls, i), \
     for [i = 1:3] csv using 5:(strcol(1) eq "linear_rnn" && $4 == word(ls, i) ? $18 : 1/0) skip 1 with points pt 7 ps 0.7 lc i notitle
unset multiplot
