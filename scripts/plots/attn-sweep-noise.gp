# attn-sweep noise: ||o' - o|| against n for each noise scale (points), with the large-n rms
# sqrt(dv (e^(sigma^2) - 1) e / n) (dashed).
set terminal pngcairo size 900,600 font ",11" noenhanced
set output png
set datafile separator ","
set xlabel "n (keys)"
set ylabel "mean ||o' - o|| (o' with noisy scores)"
set logscale xy
set key bottom left
set title "attn-sweep noise: softmax output under i.i.d. score noise (slope -1/2 expected; dashed: large-n rms)"
ss = "0.1 0.5 1 2"
plot for [i = 1:4] csv using 1:($2 == word(ss, i) ? $3 : 1/0):4 skip 1 with yerrorbars pt 7 ps 0.7 lc i title "sigma = ".word(ss, i), \
     for [i = 1:4] csv using 1:($2 == word(ss, i) ? $6 : 1/0) skip 1 with lines dt 2 lc i notitle
