# quanta-scaling synthetic: how often the fit's bootstrap 95% interval covered the true parameter over
# repeated draws of losses from a known law (binomial standard errors), against the nominal 0.95.
set terminal pngcairo size 900,550 font ",11"
set output png
set datafile separator ","
set style data histogram
set style fill solid 0.7 border -1
set boxwidth 0.6
set yrange [0:1.1]
set ylabel "coverage of the 95% interval"
set xlabel "parameter"
set key below horizontal
set title "Recovery test: Chinchilla grid, losses from Epoch AI's law with log-normal noise, each draw refitted"
plot csv using 0:8:xtic(1) skip 1 with boxes lc rgb "#6baed6" title "coverage over the draws", \
     csv using 0:8:9 skip 1 with yerrorbars pt 0 lc rgb "black" title "binomial se", \
     0.95 with lines dt 2 lc rgb "#cb181d" title "nominal 0.95"
