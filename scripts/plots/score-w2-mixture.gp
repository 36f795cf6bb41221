# score-w2 mixture: particle W2 (with Monte Carlo error bars) and the three bounds against eta, per score error.
set terminal pngcairo size 1200,900 font ",10"
set output png
set datafile separator ","
set logscale xy
set format y "10^{%L}"
set format x "10^{%L}"
set xlabel "eta"
set ylabel "distance"
set key top left font ",9"
rows(e) = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\"' %s", e, csv)
set multiplot layout 2,2 title "score-w2 mixture: 10^5 particles through both probability-flow ODEs (1-D mixture data)"
do for [e in "bias scale wrong_gaussian time_linear"] {
  set title sprintf("%s error", e eq "time_linear" ? "time\\_linear" : e eq "wrong_gaussian" ? "wrong\\_gaussian" : e)
  plot rows(e) using 2:4:6 with yerrorlines pt 7 lw 2 title "W2 (sorted clouds)", \
       rows(e) using 2:9 with linespoints pt 5 title "bound, L of g (proof)", \
       rows(e) using 2:14 with linespoints pt 9 title "bound, L of -g (backward)", \
       rows(e) using 2:19 with linespoints pt 13 dt 2 title "bound, two-sided"
}
unset multiplot
