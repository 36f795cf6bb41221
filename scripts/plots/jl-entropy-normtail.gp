# jl-entropy norm-tail: P(| |u|^2 - 1 | >= eps) against n, one panel per eps: the exact law, Monte Carlo with 2-sigma error
# bars, the Chernoff form(s) and the bound 2 e^{-eps^2 n/8} (log scale).
set terminal pngcairo size 1100,800 font ",10"
set output png
set datafile separator ","
set logscale xy 2
set logscale y 10
set format y "10^{%L}"
set xlabel "n"
set ylabel "tail probability"
set key bottom left font ",9"
set yrange [*:10]
set multiplot layout 2,2 title "jl-entropy: P(| |u|^2 - 1 | >= eps) for entries N(0, 1/n)"
# The default grid has 4 values of eps per n (n-major rows): panel k takes every 4th row from row k.
eps_list = "0.1 0.25 0.5 0.75"
lo(y, se) = (y - 2 * se > y / 10 ? y - 2 * se : y / 10)
do for [k = 0:3] {
  set title "eps = " . word(eps_list, k + 1)
  plot csv every 4::k using 1:3 skip 1 with linespoints pt 7 ps 0.6 lw 2 lc rgb "black" title "exact", \
       csv every 4::k using 1:($5 > 0 ? $5 : 1/0):(lo($5, $6)):($5 + 2 * $6) skip 1 with yerrorbars pt 6 lc rgb "#1060b0" title "Monte Carlo (2 sigma; 0 hits not drawn)", \
       csv every 4::k using 1:7 skip 1 with lines dt 2 lw 2 lc rgb "#20a020" title "Chernoff", \
       csv every 4::k using 1:9 skip 1 with lines dt 3 lw 2 lc rgb "red" title "2 e^{-eps^2 n/8}"
}
unset multiplot
