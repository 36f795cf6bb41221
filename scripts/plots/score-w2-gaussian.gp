# score-w2 gaussian: W2, the coupling W~2 and the bound in its three forms against eta (log-log), d = 16,
# q_T = p_T; rows: data variance 0.25 and 4; columns: bias and time_linear score errors.
set terminal pngcairo size 1200,900 font ",10"
set output png
set datafile separator ","
set logscale xy
set format y "10^{%L}"
set format x "10^{%L}"
set xlabel "eta"
set ylabel "distance"
set key top left font ",9"
rows(v, e) = sprintf("< awk -F, 'NR > 1 && $1 == 16 && $2 == \"%s\" && $3 == \"%s\" && $5 == \"exact\"' %s", v, e, csv)
set multiplot layout 2,2 title "score-w2: W2 <= coupling <= bound (d = 16); the proof's literal L_t (of g_t) fails for variance 4"
do for [v in "0.25 4"] {
  do for [e in "bias time_linear"] {
    set title sprintf("Sigma = %s I, %s error", v, e eq "time_linear" ? "time\\_linear" : e)
    plot rows(v, e) using 4:6 with linespoints pt 7 lw 2 title "W2 (Bures)", \
         rows(v, e) using 4:7 with linespoints pt 6 dt 2 title "coupling W2 (synchronous)", \
         rows(v, e) using 4:11 with linespoints pt 5 title "bound, L of g (proof)", \
         rows(v, e) using 4:16 with linespoints pt 9 title "bound, L of -g (backward)", \
         rows(v, e) using 4:21 with linespoints pt 13 title "bound, two-sided"
  }
}
unset multiplot
