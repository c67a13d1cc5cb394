# SPDX-License-Identifier: MIT
# bench/plot.gp: up and down time against N (log-log) from bench/scale.dat; gnuplot -e "data='..'; out='..'" plot.gp
set terminal pngcairo size 900,600 font "sans,11" noenhanced
set output out
set title "cengine: time against the number of containers (median, bars: min-max)"
set xlabel "containers (N)"
set ylabel "seconds"
set logscale xy
set xrange [5:2000]
set yrange [0.01:100]
set format y "%g"
set grid xtics ytics mxtics mytics lc rgb "#dddddd"
set key top left box opaque
set samples 200
plot data using 1:2:3:4 with yerrorlines lw 2 pt 7 lc rgb "#1f77b4" title "cengine up until every container answers a ping", \
     data using 1:10 with linespoints lw 1 dt 3 pt 7 ps 0.6 lc rgb "#1f77b4" title "cengine up alone (until the command returns)", \
     data using 1:5:6:7 with yerrorlines lw 2 pt 5 lc rgb "#d62728" title "cengine down", \
     data using 1:8 with linespoints lw 1 dt 2 pt 6 lc rgb "#1f77b4" title "kernel floor (bench/floor): up", \
     data using 1:9 with linespoints lw 1 dt 2 pt 4 lc rgb "#d62728" title "kernel floor (bench/floor): down", \
     "-" using 1:2 with points pt 9 ps 2 lc rgb "#ff7f0e" title "targets: up of 100 <= 0.8 s, up and down of 1,000 <= 10 s"
100 0.8
1000 10
e
