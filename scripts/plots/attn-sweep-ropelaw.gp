# attn-sweep rope-law: the certified smallest RoPE base b* against the context length per head dimension d
# (log-log; points b_star_hi), the law b* = c L^k fitted per d (lines, column law) and the paper's fitted curve
# 0.0424 L^1.628 (Figure 1, d = 128). Rows: d, L, ... (scripts/plot.sh passes csv and png). Beside them, from
# ropebase4m.csv in the same folder, the certified b* at L = 2M and 4M (d = 128), outside the fitted range.
set terminal pngcairo size 900,620 font ",11"
set output png
set datafile separator ","
set datafile missing "nan"
set logscale x 2
set format x "2^{%L}"
set logscale y
set format y "10^{%L}"
set xlabel "context length L"
set ylabel "smallest RoPE base b*"
set key bottom right
set grid
set title "attn-sweep rope-law: certified b*(L) and the law b* = c L^k per head dimension d"
sel(d, v) = ($1 == d ? v : 1/0)
beyond = csv[1:strlen(csv) - strlen("ropelaw.csv")]."ropebase4m.csv"
set xrange [2**9.8:2**22.2]
plot csv using 2:(sel(64, $4)) skip 1 with points pt 7 ps 1.2 lc rgb "#c03020" title "d = 64, certified b*", \
     csv using 2:(sel(64, $5)) skip 1 with lines lw 2 lc rgb "#c03020" title "d = 64, fitted c L^k", \
     csv using 2:(sel(128, $4)) skip 1 with points pt 5 ps 1.2 lc rgb "#1060b0" title "d = 128, certified b*", \
     csv using 2:(sel(128, $5)) skip 1 with lines lw 2 lc rgb "#1060b0" title "d = 128, fitted c L^k", \
     csv using 2:(sel(256, $4)) skip 1 with points pt 9 ps 1.4 lc rgb "#108040" title "d = 256, certified b*", \
     csv using 2:(sel(256, $5)) skip 1 with lines lw 2 lc rgb "#108040" title "d = 256, fitted c L^k", \
     beyond using 1:11 skip 1 with points pt 4 ps 1.4 lw 2 lc rgb "#1060b0" title "d = 128, certified b* at 2M, 4M (not fitted)", \
     csv using 2:(sel(128, $7)) skip 1 with lines dt 2 lw 2 lc rgb "black" title "paper: 0.0424 L^{1.628} (d = 128)"
