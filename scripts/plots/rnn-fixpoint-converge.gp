# rnn-fixpoint converge: max_t |h_t^(n) - h_t| against the iteration n, one line per scheme (log scale).
set terminal pngcairo size 900,600 font ",11"
set output png
set termoption noenhanced
set datafile separator ","
set logscale y
set format y "1e%L"
set yrange [1e-16:3]
set xlabel "iteration n"
set ylabel "max error against the sequential RNN"
set key top right
set grid
set title "rnn-fixpoint converge: error per iteration (d = 16, T = 1000, rho = 0.9, sigma_u = 0.1)"
schemes = "fixed perturb diagonal first_order newton"
scheme(s) = sprintf("< awk -F, '$1 == \"%s\"' %s", s, csv)
# perturb and diagonal give the same iterates to rounding: diagonal is drawn dashed with open symbols on top.
colors = "#7b2cbf #1b9e77 #e7298a #d95f02 #1f78b4"
points = "7 7 6 5 9"
dashes = "1 1 2 1 1"
plot for [i=1:5] scheme(word(schemes, i)) using 2:($3 > 1e-16 ? $3 : 1e-16) with linespoints \
     lc rgb word(colors, i) pt int(word(points, i)) ps 0.6 dt int(word(dashes, i)) title word(schemes, i)
