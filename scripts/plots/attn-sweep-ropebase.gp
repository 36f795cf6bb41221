# attn-sweep rope-base: the smallest RoPE base against the context length (d = 128, log-log): the published
# grid search as stated, the certified infimum b*, the paper's table (crossed when it fails the bound) and
# the d -> infinity estimate L / x0.
set terminal pngcairo size 900,620 font ",11"
set output png
set datafile separator ","
set datafile missing "nan"
set logscale xy
set format x "2^{%L}"
set logscale x 2
set format y "10^{%L}"
set xlabel "context length L"
set ylabel "RoPE base b"
set key top left
set grid
set title "attn-sweep rope-base: smallest base with f_b(m) >= 0 for all m < L (d = 128)"
plot csv using 1:16 skip 1 with linespoints pt 6 ps 1.6 lc rgb "#909090" title "paper's table", \
     csv using 1:($18 >= 0 ? $16 : 1/0) skip 1 with points pt 2 ps 2.5 lw 2 lc rgb "red" title "paper entry that fails the bound", \
     csv using 1:4 skip 1 with linespoints pt 7 lc rgb "#1060b0" title "published grid search (ours)", \
     csv using 1:11 skip 1 with points pt 4 ps 1.4 lc rgb "#108040" title "certified infimum b*", \
     csv using 1:19 skip 1 with lines dt 2 lc rgb "black" title "L / x_0 (d -> infinity)"
