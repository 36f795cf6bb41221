# jl-entropy positions: entropy / ln i against the query position i of a causal sequence, under 1/sqrt(d),
# the article's constant log_512(L)/sqrt(d) and the per-position max(1, log_T i)/sqrt(d) (Qwen's logn).
set terminal pngcairo size 1000,620 font ",11"
set output png
set datafile separator ","
set logscale x 2
set format x "2^{%L}"
set xlabel "query position i (it attends to keys 1 .. i)"
set ylabel "attention entropy / ln i"
set yrange [0:1.05]
set key bottom right
set title "Entropy per position of a causal sequence: constant log n scale against the per-position one"
pick(s) = strcol(3) eq s ? column(8) : NaN
plot csv using 1:(pick("inv_sqrt_d")) skip 1 with linespoints pt 7 title "1/sqrt(d)", \
     csv using 1:(pick("log512_L_over_sqrt_d")) skip 1 with linespoints pt 5 title "log_{512}(L)/sqrt(d), constant (the article)", \
     csv using 1:(pick("max1_logT_i_over_sqrt_d")) skip 1 with linespoints pt 9 title "max(1, log_{512} i)/sqrt(d), per position (Qwen)"
