# quanta-scaling simulate --axis steps: simulated L - a (mean and sd over seeds) with the fitted power law per g.
set terminal pngcairo size 900,600 font ",11"
set output png
set datafile separator ","
set logscale xy
set autoscale xfix
set format x "10^{%L}"
set format y "10^{%L}"
set xlabel "S (steps; D = S B, B = 10^3)"
set ylabel "L - a"
set key bottom left
set fit quiet
set fit logfile '/dev/null'
set title "quanta-scaling simulate --axis steps: points simulated, lines fitted x^{-k} (prediction k = g/(g+1))"
pick(g, col) = abs(column(2) - g) < 1e-9 ? column(col) : NaN
array K[4]
array C[4]
gs = "0.3 0.5 1 2"
do for [i = 1:4] {
  g = word(gs, i) + 0
  k = 0.5; c = -1
  f(x) = c - k * x
  fit f(x) csv using (log(column(3))):(log(pick(g, 5))) skip 1 via c, k
  K[i] = k; C[i] = c
}
plot for [i = 1:4] csv using 3:(pick(word(gs, i) + 0, 5)):(pick(word(gs, i) + 0, 6)) skip 1 with yerrorbars pt 7 ps 0.6 lc i \
       title sprintf("g = %s: k = %.4f", word(gs, i), K[i]), \
     for [i = 1:4] exp(C[i]) * x**(-K[i]) with lines lc i notitle
