# jl-entropy entropy --needle: attention mass on the key correlated with the query against n, per scale.
set terminal pngcairo size 900,600 font ",11"
set output png
set datafile separator ","
set logscale xy
set format x "2^{%L}"
set logscale x 2
set format y "10^{%L}"
set xlabel "n (keys)"
set ylabel "attention mass on the needle"
set key bottom left
set title "jl-entropy: needle (key = 0.9 q + 0.44 z) mass against n, d = 64"
# Rows are n-major with the three scales in a fixed order: every 3::k picks scale k.
plot csv every 3::0 using 1:12 skip 1 with linespoints pt 7 lw 2 lc rgb "#1060b0" title "1/sqrt(d)", \
     csv every 3::1 using 1:12 skip 1 with linespoints pt 5 lw 2 lc rgb "red" title "log_{512}(n)/sqrt(d)", \
     csv every 3::2 using 1:12 skip 1 with linespoints pt 9 lw 2 lc rgb "#20a020" title "kappa ln(n)/d, kappa = 1"
