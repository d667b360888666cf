#!/usr/bin/env bash
# Coverage-guided fuzzing of the parsers with Jazzer (issue 29): runs one @FuzzTest of
# proxy-core's ParserFuzzTest in fuzzing mode (JAZZER_FUZZ=1) for its maxDuration (60 s), so it
# mutates inputs guided by coverage instead of only replaying the corpus. A finding (a crash or a
# failed property) is written under proxy-core/src/test/resources/io/hopwise/http/
# ParserFuzzTestInputs/METHOD/ and from then on replays in every build: commit it with the fix.
# CPU only, no network.
#
#   bench/jazzer.sh requestHead | responseHead | chunkedBody
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

method=${1:-}
case $method in
  requestHead|responseHead|chunkedBody) ;;
  *) echo "usage: bench/jazzer.sh requestHead|responseHead|chunkedBody" >&2; exit 2 ;;
esac
JAZZER_FUZZ=1 ./mvnw -q -B test -pl proxy-core -Dtest="ParserFuzzTest#$method" -Dsurefire.failIfNoSpecifiedTests=false
