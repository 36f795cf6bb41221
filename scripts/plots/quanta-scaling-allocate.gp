# quanta-scaling allocate: the compute-optimal N and D of the fitted Chinchilla law against the budget C,
# with bootstrap 95% bands, and tokens per parameter on the right axis against Chinchilla's 20.
set terminal pngcairo size 1000,650 font ",11"
set output png
set datafile separator ","
set logscale xy
set format x "10^{%L}"
set format y "10^{%L}"
set xlabel "training compute C (FLOP)"
set ylabel "N_{opt} (parameters), D_{opt} (tokens)"
set y2label "tokens per parameter"
set y2range [0:60]
set y2tics
set ytics nomirror
set key top left
set title "Compute-optimal allocation from the fitted L = E + A/N^a + B/D^b (C = 6ND), 95% bootstrap bands"
set arrow from 5.76e23, graph 0 to 5.76e23, graph 1 nohead dt 3 lc rgb "gray40"
set label "Chinchilla: 70B, 1.4T tokens" at 5.76e23, graph 0.95 offset 1,0 tc rgb "gray30"
plot csv using 1:3:4 skip 1 with filledcurves lc rgb "#c6dbef" notitle, \
     csv using 1:2 skip 1 with linespoints pt 7 lc rgb "#08519c" title "N_{opt}", \
     csv using 1:6:7 skip 1 with filledcurves lc rgb "#fdd0a2" notitle, \
     csv using 1:5 skip 1 with linespoints pt 7 lc rgb "#d94801" title "D_{opt}", \
     csv using 1:9:10 skip 1 axes x1y2 with filledcurves fs transparent solid 0.3 lc rgb "#74c476" notitle, \
     csv using 1:8 skip 1 axes x1y2 with linespoints pt 5 lc rgb "#238b45" title "tokens per parameter (right)", \
     20 axes x1y2 with lines dt 2 lc rgb "#238b45" title "Chinchilla's 20 (right)", \
     '+' using (5.76e23):(7e10) with points pt 9 ps 2 lc rgb "#08519c" title "Chinchilla's N", \
     '+' using (5.76e23):(1.4e12) with points pt 9 ps 2 lc rgb "#d94801" title "Chinchilla's D"
