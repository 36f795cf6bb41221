# quanta-scaling loss-scale: of the 4500 starts of the Chinchilla fit, how many stop early (short of the best
# optimum of all four configurations) with the Huber loss summed or averaged over runs, under L-BFGS-B's
# stopping rule (SciPy's defaults) and the fit's BFGS rule.
set terminal pngcairo size 900,550 font ",11"
set output png
set datafile separator ","
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set yrange [0:5600]
set ylabel "starts (of 4500)"
set key top center horizontal
set grid ytics
set title "Huber loss summed vs averaged over runs: starts that stop early (Chinchilla data, 240 runs)"
plot csv using 5:xticlabels(stringcolumn(1)." / ".stringcolumn(2)) skip 1 lc rgb "#d94801" title "stop early", \
     csv using 4 skip 1 lc rgb "#6baed6" title "stopped by the rule's test", \
     csv using 0:($5 + 120):(sprintf("%d", $5)) skip 1 with labels offset -2.2,0 notitle
