# quanta-scaling curve: exact L(n) - a (Hurwitz zeta tail) and the asymptotic n^-g/(g zeta(g+1)), per g.
set terminal pngcairo size 1100,500 font ",11"
set output png
set datafile separator ","
set multiplot layout 1,2 title "quanta-scaling: exact Zipf tail vs asymptotic form (a = 0, b = 1)"
set logscale xy
set format x "10^{%L}"
set format y "10^{%L}"
set xlabel "n (quanta learned)"
set ylabel "L(n) - a"
set key bottom left
pick(g, col) = abs(column(1) - g) < 1e-9 ? column(col) : NaN
plot for [g in "0.3 0.5 1 2"] csv using 2:(pick(g+0, 3)) skip 1 with lines lw 2 title "exact g = ".g, \
     for [g in "0.3 0.5 1 2"] csv using 2:(pick(g+0, 4)) skip 1 with lines dt 2 lw 1 lc rgb "black" notitle
set ylabel "n (1 - exact/asymptotic)  (-> g/2)"
unset logscale y
set format y "%g"
set key top right
plot for [g in "0.3 0.5 1 2"] csv using 2:(pick(g+0, 6)) skip 1 with lines lw 2 title "g = ".g
unset multiplot
