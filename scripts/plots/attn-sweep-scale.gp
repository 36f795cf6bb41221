# attn-sweep scale: alpha*(n) of the mean-field approximation against the published fits 0.84 sqrt(ln n) and
# 3.5 ln n, with the exact Monte Carlo's 95%-of-maximum scale (points with jackknife error bars).
set terminal pngcairo size 1200,520 font ",11" noenhanced
set output png
set datafile separator ","
set datafile missing "nan"
set multiplot layout 1,2 title "attn-sweep scale: the softmax scale maximising alpha (1 - sum p^2)"
set xlabel "n"
set ylabel "alpha*"
set key top left
set logscale x
set title "normal scores N(0, 1)"
plot csv using 3:(strcol(1) eq "normal" ? $4 : 1/0) skip 1 with lines lw 2 title "approximation", \
     csv using 3:(strcol(1) eq "normal" ? 0.84 * sqrt(log($3)) : 1/0) skip 1 with lines dt 2 lw 2 title "0.84 sqrt(ln n)", \
     csv using 3:(strcol(1) eq "normal" ? $10 : 1/0):11 skip 1 with yerrorbars pt 7 ps 0.8 title "exact: 95% of max (Monte Carlo)"
set title "cosine scores, d = 128"
plot csv using 3:(strcol(1) eq "cosine" ? $4 : 1/0) skip 1 with lines lw 2 title "approximation", \
     csv using 3:(strcol(1) eq "cosine" ? 3.5 * log($3) : 1/0) skip 1 with lines dt 2 lw 2 title "3.5 ln n", \
     csv using 3:(strcol(1) eq "cosine" ? $10 : 1/0):11 skip 1 with yerrorbars pt 7 ps 0.8 title "exact: 95% of max (Monte Carlo)"
unset multiplot
