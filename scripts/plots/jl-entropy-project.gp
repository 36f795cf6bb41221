# jl-entropy project: distance distortion over all pairs against the target dimension n (median, 99%,
# max) next to the chi-squared law of one pair, and the inner-product error of the unit vectors.
set terminal pngcairo size 900,600 font ",11"
set output png
set datafile separator ","
set logscale xy
set logscale x 2
set xlabel "target dimension n"
set ylabel "|projected/original squared distance - 1|"
set key bottom left
set title "jl-entropy: 200 Gaussian points in 1000 dims, projected to n dims"
plot csv using 1:7 skip 1 with points pt 7 ps 1.3 lc rgb "#1060b0" title "median (pairs)", \
     csv using 1:11 skip 1 with lines lc rgb "#1060b0" title "median (chi^2_n law)", \
     csv using 1:9 skip 1 with points pt 5 ps 1.3 lc rgb "red" title "99% (pairs)", \
     csv using 1:13 skip 1 with lines lc rgb "red" title "99% (chi^2_n law)", \
     csv using 1:10 skip 1 with linespoints pt 9 dt 2 lc rgb "black" title "max over 19900 pairs", \
     csv using 1:16 skip 1 with linespoints pt 6 dt 3 lc rgb "#20a020" title "inner-product error, 99%"
