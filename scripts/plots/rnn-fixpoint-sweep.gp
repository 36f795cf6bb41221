# rnn-fixpoint sweep: iterations to tolerance against rho, sigma_u and T, one line per scheme. Open
# symbols: not converged within the cap (or diverged: drawn at the cap).
set terminal pngcairo size 1500,500 font ",10"
set output png
set termoption noenhanced
set datafile separator ","
set multiplot layout 1,3 title "rnn-fixpoint sweep: iterations to 1e-12 (open symbols at 200: not converged within the cap or diverged; perturb and diagonal coincide)"
set logscale y
set ylabel "iterations"
set grid
set key top left
sel(axis, s) = sprintf("< awk -F, '$1 == \"%s\" && $5 == \"%s\"' %s", axis, s, csv)
schemes = "fixed perturb diagonal first_order newton"
colors = "#7b2cbf #1b9e77 #e7298a #d95f02 #1f78b4"
set xlabel "spectral radius rho (T = 1000; sigma_u = 0.1)"
plot for [i=1:5] sel("rho", word(schemes, i)) using 3:(strcol(7) eq "true" ? $6 : 1/0) with linespoints lc rgb word(colors, i) pt 7 title word(schemes, i), \
     for [i=1:5] sel("rho", word(schemes, i)) using 3:(strcol(7) eq "true" ? 1/0 : $6) with points lc rgb word(colors, i) pt 6 ps 1.5 notitle
set logscale x
set xlabel "input scale sigma_u (T = 1000; rho = 0.9)"
plot for [i=1:5] sel("sigma_u", word(schemes, i)) using 4:(strcol(7) eq "true" ? $6 : 1/0) with linespoints lc rgb word(colors, i) pt 7 title word(schemes, i), \
     for [i=1:5] sel("sigma_u", word(schemes, i)) using 4:(strcol(7) eq "true" ? 1/0 : $6) with points lc rgb word(colors, i) pt 6 ps 1.5 notitle
set xlabel "sequence length T (rho = 0.9; sigma_u = 0.1)"
plot for [i=1:5] sel("T", word(schemes, i)) using 2:(strcol(7) eq "true" ? $6 : 1/0) with linespoints lc rgb word(colors, i) pt 7 title word(schemes, i), \
     for [i=1:5] sel("T", word(schemes, i)) using 2:(strcol(7) eq "true" ? 1/0 : $6) with points lc rgb word(colors, i) pt 6 ps 1.5 notitle, \
     x with lines dt 2 lc rgb "gray" title "T"
unset multiplot
