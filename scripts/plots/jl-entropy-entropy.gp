# jl-entropy entropy: mean attention entropy against ln n for each scale (points with 1-sd bars: exact;
# dashed: the mean-field estimate ln n - lambda (s_max - s_mean)), with H = ln n for reference.
# Rows are n-major with the three scales in a fixed order: every 3::k picks scale k.
set terminal pngcairo size 900,600 font ",11"
set output png
set datafile separator ","
set xlabel "ln n (n keys)"
set ylabel "entropy H (nats)"
set key top left
set title "jl-entropy: softmax entropy against ln n; q and k from N(0, I_{64})"
plot csv every 3::0 using 2:6:7 skip 1 with yerrorlines pt 7 lc rgb "#1060b0" title "1/sqrt(d)", \
     csv every 3::1 using 2:6:7 skip 1 with yerrorlines pt 5 lc rgb "red" title "log_{512}(n)/sqrt(d)", \
     csv every 3::2 using 2:6:7 skip 1 with yerrorlines pt 9 lc rgb "#20a020" title "kappa ln(n)/d, kappa = 1", \
     csv every 3::0 using 2:9 skip 1 with lines dt 2 lc rgb "#1060b0" title "mean-field, 1/sqrt(d)", \
     csv every 3::1 using 2:9 skip 1 with lines dt 2 lc rgb "red" title "mean-field, log_{512}", \
     csv every 3::2 using 2:9 skip 1 with lines dt 2 lc rgb "#20a020" title "mean-field, kappa", \
     csv every 3::0 using 2:2 skip 1 with lines dt 3 lc rgb "black" title "ln n"
