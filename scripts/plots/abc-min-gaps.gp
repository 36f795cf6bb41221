# abc-min gaps: S - 2 sqrt(N) per decade (median and 10-90% band), against N^(1/6) and the window bound.
set terminal pngcairo size 900,600 font ",11"
set output png
set datafile separator ","
set logscale y
set format y "10^{%L}"
set xlabel "decade k (N in [10^k, 10^{k+1}))"
set ylabel "S - 2 sqrt(N)"
set key top left
set title "abc-min: how far the minimum sits above 2 sqrt(N)"
mid(k) = 10**(k + 0.5)
plot csv using 1:4:6 skip 1 with filledcurves lc rgb "#c0d8f0" title "10-90% of N", \
     csv using 1:5 skip 1 with linespoints pt 7 lc rgb "#1060b0" title "median", \
     csv using 1:(mid($1)**(1.0/6)) skip 1 with lines dt 2 lc rgb "black" title "N^{1/6}", \
     csv using 1:(2 + sqrt(1 + 4 * sqrt(mid($1)))) skip 1 with lines dt 3 lc rgb "red" title "window 2 + sqrt(1 + 4 sqrt N)"
