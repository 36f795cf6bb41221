# attn-sweep rope-curves: f_b(m) = sum_i cos(m b^(-2i/d)) against m / L (the minimum over each bin of m)
# for b = 0.5, 0.9 and 1 times the grid-search result, one panel per L, with the zero line.
set terminal pngcairo size 1500,520 font ",11"
set output png
set datafile separator ","
set multiplot layout 1,3 title "attn-sweep rope-curves: f_b(m) (bin minima) near the smallest base; the bound asks f >= 0"
set xlabel "m / L"
set ylabel "min of f_b(m) over the bin"
set yrange [-3:12]
set key bottom left opaque box
set grid
do for [L in "1024 16384 131072"] {
  set title sprintf("L = %d", L + 0)
  plot csv using ($1 == L && $2 == 0.5 ? $4 / $1 : 1/0):6 skip 1 with lines lc rgb "#c03030" title "0.5 b_{grid}", \
       csv using ($1 == L && $2 == 0.9 ? $4 / $1 : 1/0):6 skip 1 with lines lc rgb "#e09020" title "0.9 b_{grid}", \
       csv using ($1 == L && $2 == 1 ? $4 / $1 : 1/0):6 skip 1 with lines lw 2 lc rgb "#1060b0" title "b_{grid}", \
       0 with lines dt 2 lc rgb "black" notitle
}
unset multiplot
