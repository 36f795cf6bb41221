# attn-sweep noise --floor: ln n - min entropy of a cosine softmax (scores in [-1, 1], temperature 1).
set terminal pngcairo size 900,600 font ",11" noenhanced
set output png
set datafile separator ","
set xlabel "n"
set ylabel "ln n - min entropy"
set logscale x
set key bottom right
set yrange [0.3:0.5]
set title "attn-sweep: the cosine softmax's entropy floor"
plot csv using 1:7 skip 1 with linespoints lw 2 pt 7 title "best two-level configuration", \
     csv using 1:3 skip 1 with points pt 6 ps 1.5 title "BFGS from random starts (local minima)", \
     csv using 1:12 skip 1 with lines dt 2 lw 2 title "published 0.4745"
