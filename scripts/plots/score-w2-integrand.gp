# score-w2 integrand: where the bound accumulates, I_t e_t against t for the three forms of L_t.
set terminal pngcairo size 1000,650 font ",11"
set output png
set datafile separator ","
set xlabel "t"
set ylabel "I_t e_t"
set key top left
set title "score-w2: the bound's integrand (d = 1, Sigma = 4, bias error, eta = 0.1)"
plot csv using 1:5 skip 1 with lines lw 2 title "L of g_t (proof)", \
     csv using 1:8 skip 1 with lines lw 2 title "L of -g_t (backward)", \
     csv using 1:11 skip 1 with lines lw 2 dt 2 title "two-sided", \
     csv using 1:2 skip 1 with lines lw 1 lc rgb "gray" title "e_t alone (I_t = 1)"
