# score-w2 sde: W2 of the reverse SDE (exact moments and Euler-Maruyama) against the ODE bounds, per row.
set terminal pngcairo size 1100,650 font ",10"
set output png
set datafile separator ","
set logscale y
set format y "10^{%L}"
set xlabel "row (variance, error, eta as in sde.csv)"
set ylabel "distance"
set key top left font ",9"
set title "score-w2 sde: reverse SDE with common noise against the ODE bound of the same score error"
plot csv using 0:4 skip 1 with points pt 7 ps 1.2 title "W2 (exact moments)", \
     csv using 0:6:7 skip 1 with yerrorbars pt 6 title "W2 (Euler-Maruyama)", \
     csv using 0:11 skip 1 with points pt 5 title "bound, L of g (proof)", \
     csv using 0:16 skip 1 with points pt 9 title "bound, L of -g (backward)", \
     csv using 0:24 skip 1 with points pt 13 title "bound, paper's g^2 weighting"
