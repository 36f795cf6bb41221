# abc-min scaling: candidates examined against N, per method, log-log.
set terminal pngcairo size 900,600 font ",11"
set output png
set datafile separator ","
set logscale xy
set format x "10^{%L}"
set format y "10^{%L}"
set xlabel "N"
set ylabel "candidates examined"
set key top left
set title "abc-min: work against N (slopes: brute 1, sqrt 1/2, quarter 1/4, pruned about 1/6)"
pick(m) = strcol(1) eq m ? column(4) : NaN
plot for [m in "brute sqrt quarter pruned"] csv using 3:(pick(m)) skip 1 with points pt 7 ps 0.5 title m
