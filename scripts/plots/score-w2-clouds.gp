# score-w2 clouds: histograms of the particle clouds at t = 0 under the true and the perturbed score.
set terminal pngcairo size 1000,650 font ",11"
set output png
set datafile separator ","
set xlabel "x"
set ylabel "density"
set key top left
set title "score-w2: particle clouds p_0 (true score) and q_0 (scale error, eta = 0.1), 10^5 particles"
plot csv using 1:2 skip 1 with steps lw 2 title "p_0 particles", \
     csv using 1:3 skip 1 with steps lw 2 title "q_0 particles", \
     csv using 1:4 skip 1 with lines lw 1 dt 2 lc rgb "black" title "p_0 exact"
