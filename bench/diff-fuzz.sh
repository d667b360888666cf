#!/usr/bin/env bash
# Differential fuzzing of the request parser and chunked decoder against Netty's strict
# HttpRequestDecoder and the response parser against its HttpResponseDecoder (issue 29): the seeded test that runs in `mvn verify`, run longer and on
# several seeds. Prints, per seed: inputs, how many both parsers accept, only ours, only Netty,
# neither, and the disagreements (must be 0; each one found becomes a named regression case).
# CPU only, no network. Builds proxy-core's tests through the Maven wrapper.
#
#   bench/diff-fuzz.sh                      # 3 seeds x 200,000 inputs
#   ITERATIONS=1000000 SEEDS="7 8" bench/diff-fuzz.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ITERATIONS=${ITERATIONS:-200000}
SEEDS=${SEEDS:-"1 2 3"}
{ [[ $ITERATIONS =~ ^[0-9]+$ ]] && ((ITERATIONS > 0 && ITERATIONS <= 50000000)); } \
  || { echo "diff-fuzz: ITERATIONS must be in 1..50000000" >&2; exit 2; }

status=0
for seed in $SEEDS; do
  [[ $seed =~ ^-?[0-9]+$ ]] || { echo "diff-fuzz: seed '$seed' is not an integer" >&2; exit 2; }
  out=$(./mvnw -q -B test -pl proxy-core -Dtest=DifferentialParserTest -Dsurefire.failIfNoSpecifiedTests=false \
      -Dhopwise.seed="$seed" -Dhopwise.diff.iterations="$ITERATIONS" 2>&1) || status=1
  grep -a 'DifferentialParserTest' <<<"$out" | grep -a 'inputs' || { echo "$out" | tail -20; status=1; }
  grep -a -m1 'AssertionFailedError' <<<"$out" | cut -c1-2000 || true
done
exit "$status"
