# abc-min sweep: the minimum S and the naive guess, both relative to 2 sqrt(N).
set terminal pngcairo size 900,600 font ",11"
set output png
set datafile separator ","
set xlabel "N"
set ylabel "S - 2 sqrt(N)"
set key top left
set title "abc-min: the minimum against the naive a = b = floor(sqrt N) guess"
plot csv using 1:6 skip 1 with points pt 7 ps 0.6 title "minimum S", \
     csv using 1:($7 - 2 * sqrt($1)) skip 1 with points pt 6 ps 0.6 title "naive guess"
