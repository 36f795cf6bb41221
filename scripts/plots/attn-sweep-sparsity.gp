# attn-sweep sparsity: closed forms (lines) and Monte Carlo / direct sums (points) of S = E|a| / sqrt(E a^2).
set terminal pngcairo size 1200,560 font ",11" noenhanced
set output png
set datafile separator ","
set datafile missing "nan"
set multiplot layout 1,2 title "attn-sweep sparsity: S = E|a| / sqrt(E a^2), smaller is sparser (lines: closed forms; points: Monte Carlo)"
set xlabel "gamma = sigma |q|"
set ylabel "S"
set yrange [0:1.45]
set key top left maxrows 3
set title "kernels at beta = 0 (and relu2 at beta = -1)"
ks = "exp identity relu2 positive_linear"
plot for [i = 1:4] csv using 3:(strcol(1) eq word(ks, i) && $2 == 0 ? $6 : 1/0) skip 1 with lines lw 2 lc i title word(ks, i), \
     for [i = 1:4] csv using 3:(strcol(1) eq word(ks, i) && $2 == 0 ? $7 : 1/0) skip 1 with points pt 7 ps 0.7 lc i notitle, \
     csv using 3:(strcol(1) eq "relu2" && $2 == -1 ? $6 : 1/0) skip 1 with lines dt 2 lw 2 lc 3 title "relu2, beta = -1", \
     csv using 3:(strcol(1) eq "relu2" && $2 == -1 ? $7 : 1/0) skip 1 with points pt 6 ps 0.9 lc 3 notitle
set title "decaying linear RNN (points: the finite sum)"
set xlabel "n"
set logscale x
set xrange [1:20000]
set yrange [0:1.05]
set key bottom left
ls = "0.5 0.9 0.99"
plot for [i = 1:3] csv using 5:(strcol(1) eq "linear_rnn" && $4 == word(ls, i) ? $6 : 1/0) skip 1 with lines lw 2 lc i title "lambda = ".word(ls, i), \
     for [i = 1:3] csv using 5:(strcol(1) eq "linear_rnn" && $4 == word(ls, i) ? $7 : 1/0) skip 1 with points pt 7 ps 0.7 lc i notitle
unset multiplot
