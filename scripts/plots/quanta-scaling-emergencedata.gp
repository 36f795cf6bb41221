# quanta-scaling emergence --axis data: expected L - a with K quanta and with unlimited quanta, and P(all learned).
set terminal pngcairo size 900,600 font ",11"
set output png
set datafile separator ","
set logscale x
set autoscale xfix
set logscale y
set format x "10^{%L}"
set format y "10^{%L}"
set xlabel "D (samples)"
set ylabel "expected L - a"
set y2label "P(all K quanta learned)"
set y2range [0:1.05]
set y2tics
set ytics nomirror
set yrange [1e-9:1]
set key bottom left
set title "quanta-scaling emergence --axis data: K = 10^4 quanta, g = 0.5, tau = 1"
plot csv using 2:($4 - $6 > 1e-12 ? $4 - $6 : NaN) skip 1 with linespoints pt 7 ps 0.5 lw 2 title "finite K", \
     csv using 2:($5 - $6) skip 1 with lines dt 2 lw 2 title "unlimited quanta (D^{-1/3})", \
     csv using 2:7 skip 1 axes x1y2 with lines lw 2 title "P(all learned)"
