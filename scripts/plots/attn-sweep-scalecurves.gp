# attn-sweep scale --curves: the exact mean of alpha (1 - sum p^2) (points) against the mean-field
# approximation (lines), as functions of alpha / alpha*_approx, at each Monte Carlo n.
set terminal pngcairo size 1200,520 font ",11" noenhanced
set output png
set datafile separator ","
set multiplot layout 1,2 title "attn-sweep scale: exact expected gradient (points) vs the approximation (lines)"
set xlabel "alpha / alpha*(approximation)"
set ylabel "alpha (1 - sum p^2)"
set logscale x
set key bottom right
set yrange [0:*]
ns = "40 10000 20000"
do for [m in "normal cosine"] {
  set title m." scores"
  plot for [i = 1:3] csv using 4:(strcol(1) eq m && $2 == word(ns, i) ? $5 : 1/0) skip 1 with points pt 7 ps 0.7 lc i title "exact n = ".word(ns, i), \
       for [i = 1:3] csv using 4:(strcol(1) eq m && $2 == word(ns, i) && $7 > 0 ? $7 : 1/0) skip 1 with lines lw 2 lc i title "approx n = ".word(ns, i)
}
unset multiplot
