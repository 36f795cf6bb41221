# quanta-scaling isoflop --table curves: the Chinchilla approach 2. Left: the Figure 4 runs by compute band
# with each band's parabola in ln N and its vertex; right: the vertices N_opt against C with the power law
# fitted to them (approach 2) and the compute-optimal N of the chinchilla fit of the same runs (approach 3).
set terminal pngcairo size 1400,620 font ",11"
set output png
set datafile separator ","
kind(k, col) = strcol(1) eq k ? column(col) : NaN
set multiplot layout 1,2
set logscale x
set format x "10^{%L}"
set xlabel "N (parameters)"
set ylabel "loss"
set yrange [2.0:3.9]
set cbrange [3e18:6e21]
set xrange [4e7:2e10]
set logscale cb
set format cb "10^{%L}"
set cblabel "band's C (FLOP)"
set palette rgb 33,13,10
set key bottom left Left reverse samplen 2
set title "IsoFLOP bands (+-0.15 dex around each budget) and their parabolas in ln N"
plot csv using 4:(kind("parabola", 5)):3 skip 1 with lines lw 2 lc palette title "parabola", \
     csv using 4:(kind("run", 5)):2 skip 1 with points pt 7 ps 0.7 lc palette title "runs (colour: budget)", \
     csv using 4:(kind("outside", 5)) skip 1 with points pt 1 ps 0.7 lc rgb "gray50" title "in no band", \
     csv using 4:(kind("excluded", 5)) skip 1 with points pt 6 ps 1.0 lc rgb "black" title "excluded (the highest losses)", \
     csv using 4:(kind("vertex", 5)) skip 1 with points pt 5 ps 1.3 lc rgb "black" title "vertex N_{opt}(C)"
unset colorbox
set logscale xy
set format y "10^{%L}"
set xlabel "training compute C (FLOP)"
set ylabel "N_{opt} (parameters)"
set xrange [2e18:1e22]
set autoscale y
set key top left
set title "Minima against compute: N_{opt} = k C^a"
plot csv using 3:(kind("approach2", 4)) skip 1 with lines lw 2 lc rgb "#08519c" title "approach 2: power law of the vertices", \
     csv using 3:(kind("approach3", 4)) skip 1 with lines lw 2 dt 2 lc rgb "#d94801" title "approach 3: the fitted law's N_{opt}", \
     csv using 3:(kind("vertex", 4)) skip 1 with points pt 7 ps 1.3 lc rgb "black" title "parabola vertices"
unset multiplot
