# Sourced by the timing scripts beside it (`. "$(dirname "$0")/measure.bash"`):
# the helpers each of them prints its figures with.

# The 1-min load average, printed beside each measurement.
load() { cut -d' ' -f1 /proc/loadavg; }

# median V...: the median of the values, two decimals.
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.2f", v[(NR + 1) / 2]; else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# ratio A B: A / B, two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
