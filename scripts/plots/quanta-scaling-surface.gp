# quanta-scaling fit --table surface: the Chinchilla Figure 4 runs (loss vs N, coloured by compute) and the
# fitted law's iso-FLOP curves with their compute-optimal points.
set terminal pngcairo size 1000,650 font ",11"
set output png
set datafile separator ","
set logscale x
set format x "10^{%L}"
set xlabel "N (parameters)"
set ylabel "loss"
set yrange [1.9:4.0]
set xrange [4e7:2e10]
set logscale cb
set format cb "10^{%L}"
set cblabel "training FLOP"
set palette rgb 33,13,10
set key top right
set title "Chinchilla Figure 4 runs (Epoch AI extraction) and the fitted L = E + A/N^a + B/D^b: iso-FLOP curves"
kind(k, col) = strcol(1) eq k ? column(col) : NaN
plot csv using 3:(kind("isoflop", 5)):2 skip 1 with lines lw 1.5 lc palette title "fit, iso-FLOP", \
     csv using 3:(kind("data", 5)):2 skip 1 with points pt 7 ps 0.8 lc palette title "runs", \
     csv using 3:(kind("excluded", 5)) skip 1 with points pt 6 ps 1.2 lc rgb "black" title "excluded (5 highest losses)", \
     csv using 3:(kind("optimum", 5)) skip 1 with points pt 3 ps 1.5 lc rgb "black" title "compute-optimal N"
