# quanta-scaling emergence (params): with K quanta the loss reaches its floor a at N = C K.
set terminal pngcairo size 900,600 font ",11"
set output png
set datafile separator ","
set logscale xy
set autoscale xfix
set format x "10^{%L}"
set format y "10^{%L}"
set xlabel "N (parameters)"
set ylabel "L - a"
set key bottom left
set title "quanta-scaling emergence: K = 10^4 quanta, g = 0.5, C = 10^3 (floor at N = C K = 10^7)"
plot csv using 2:($4 - $6 > 0 ? $4 - $6 : NaN) skip 1 with linespoints pt 7 ps 0.5 lw 2 title "finite K", \
     csv using 2:($5 - $6) skip 1 with lines dt 2 lw 2 title "unlimited quanta (N^{-0.5})"
