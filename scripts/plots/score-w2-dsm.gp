# score-w2 dsm: the denoising minus plain score-matching gap against theta, with Monte Carlo error bars,
# next to its exact value 1/sigma_t^2 - J(p_t) (dashed); one series per (data, t).
set terminal pngcairo size 1000,650 font ",11"
set output png
set datafile separator ","
set xlabel "theta (model s(x) = -theta x)"
set ylabel "DSM loss - SM loss"
set logscale y
set key outside right
set title "score-w2: the DSM - SM gap does not depend on theta"
sel(d, t, col) = (strcol(1) eq d && abs(column(2) - t) < 1e-9) ? column(col) : NaN
plot for [d in "mixture gaussian"] for [t in "0.05 0.2 0.5"] \
       csv using (sel(d, t + 0, 3)):(sel(d, t + 0, 6)):(sel(d, t + 0, 7)) skip 1 with yerrorbars pt 7 \
       title sprintf("%s t = %s", d, t), \
     for [d in "mixture gaussian"] for [t in "0.05 0.2 0.5"] \
       csv using (sel(d, t + 0, 3)):(sel(d, t + 0, 8)) skip 1 with lines dt 2 lc rgb "gray" notitle
