# rnn-fixpoint scan-bench: speedup of the chunked scan over the sequential solver against T.
set terminal pngcairo size 900,600 font ",11"
set output png
set termoption noenhanced
set datafile separator ","
set logscale x
set xlabel "sequence length T (d = 16)"
set ylabel "speedup over the sequential solver"
set yrange [0:2.6]
set key top left
set grid
set title "rnn-fixpoint scan-bench: chunked carry scan (ideal on P threads: P)"
sel(m, p) = sprintf("< awk -F, '$1 == \"%s\" && $4 == %d' %s", m, p, csv)
plot sel("dense_chunked", 1) using 2:8 with linespoints pt 7 title "dense A; 1 thread", \
     sel("dense_chunked", 2) using 2:8 with linespoints pt 7 title "dense A; 2 threads", \
     sel("diagonal_chunked", 1) using 2:8 with linespoints pt 5 title "diagonal complex; 1 thread", \
     sel("diagonal_chunked", 2) using 2:8 with linespoints pt 5 title "diagonal complex; 2 threads", \
     2 with lines dt 3 lc rgb "gray" title "ideal on 2 threads (2)", \
     1.5 with lines dt 2 lc rgb "black" title "target on 2 threads (1.5)"
