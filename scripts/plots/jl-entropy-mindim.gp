# jl-entropy min-dim: the empirical minimum dimension against N next to 24 ln N/eps^2, 16 ln N/eps^2,
# the Dasgupta-Gupta bound, 8.33 ln N and the fitted c ln N/eps^2.
set terminal pngcairo size 900,600 font ",11"
set output png
set datafile separator ","
set logscale x
set xlabel "N (points)"
set ylabel "dimension n"
set key top left
set title "jl-entropy: smallest n keeping every pair within eps (eps = 0.5, delta = 0.1)"
plot csv using 1:6 skip 1 with linespoints pt 7 ps 1.2 lw 2 lc rgb "#1060b0" title "empirical n_{min}", \
     csv using 1:17 skip 1 with lines dt 2 lc rgb "#1060b0" title "fit c ln N/eps^2", \
     csv using 1:10 skip 1 with lines lw 2 lc rgb "red" title "24 ln N/eps^2", \
     csv using 1:11 skip 1 with lines lw 2 dt 3 lc rgb "#d07000" title "16 ln N/eps^2", \
     csv using 1:12 skip 1 with lines lw 2 dt 4 lc rgb "#a000a0" title "Dasgupta-Gupta 4 ln N/(eps^2/2 - eps^3/3)", \
     csv using 1:13 skip 1 with lines lw 2 dt 5 lc rgb "#20a020" title "8.33 ln N"
