#!/usr/bin/env bash
# Did a change to the head parser or the header rules help? Two proxy-bench builds timed in turns
# inside one JVM (io.hopwise.bench.HeadAB: each build in its own class loader, a few milliseconds
# each, paired), over JVMS fresh JVMs with A and B swapped every other one. Prints each JVM's B/A
# (below 1: B is faster) and their median. See bench/README.md, "head-ab.sh".
#
# Usage: bench/head-ab.sh A.jar B.jar
#   each a proxy-bench/target/benchmarks.jar (copy the old build's aside before rebuilding);
#   the harness itself runs from this checkout's proxy-bench/target/benchmarks.jar.
# Env: JVMS (6), TIMED_SECONDS (12, timed per JVM after an 8 s warm-up), MODE (parseAndRules | parse |
#   orderChanged: the head and the same lines reversed in turns, so a guess from the last head's
#   names is wrong for 14 of the 15 lines)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ $# -ne 2 ] || [ ! -f "$1" ] || [ ! -f "$2" ]; then
  echo "usage: bench/head-ab.sh A.jar B.jar (two proxy-bench benchmarks.jar builds)" >&2
  exit 2
fi
a="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
b="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
harness="$root/proxy-bench/target/benchmarks.jar"
if [ ! -f "$harness" ]; then
  echo "head-ab: $harness is missing; build it first: ./mvnw -q -B package -DskipTests" >&2
  exit 2
fi
JVMS="${JVMS:-6}"
SECONDS_PER_JVM="${TIMED_SECONDS:-12}"
MODE="${MODE:-parseAndRules}"

ratios=()
for i in $(seq "$JVMS"); do
  if [ $((i % 2)) -eq 1 ]; then first="$a"; second="$b"; else first="$b"; second="$a"; fi
  line=$(java @"$root/conf/jvm.options" -cp "$harness" io.hopwise.bench.HeadAB \
    "$first" "$second" "$SECONDS_PER_JVM" "$MODE" | grep '^HEADAB') \
    || { echo "head-ab: JVM $i printed no HEADAB line (its errors, if any, are above)" >&2; exit 1; }
  r=$(sed -E 's/.* ratio=([0-9.]+).*/\1/' <<<"$line")
  # A swapped JVM measured A/B: turn it round.
  if [ $((i % 2)) -eq 0 ]; then r=$(python3 "$root/bench/stats.py" ratio 1 "$r" %.4f); fi
  ratios+=("$r")
  echo "jvm $i/$JVMS: B/A $r   ($line)"
done
read -r med lo hi n faster <<<"$(python3 "$root/bench/stats.py" spread "${ratios[@]}")"
printf 'head-ab %s: B/A median %s over %d JVMs (range %s-%s), B faster in %d\n' "$MODE" "$med" "$n" "$lo" "$hi" "$faster"
