#!/usr/bin/env bash
# Generates the MetaCLIP benchmark inputs (entries.txt, captions.txt) into a cache directory, for
# MatchBench and for MetadataMatcherTest's full-list tests (-Dalign.metaclip.inputs=DIR).
# Usage: tools/metaclip-inputs.sh [DIR]   (default: ${XDG_CACHE_HOME:-~/.cache}/align/metaclip-inputs)
# Needs /usr/bin/python3 and Debian's wamerican word list (apt-get install -y wamerican).
# Exits 0 without writing anything when either is missing, so CI can call it unconditionally;
# CI then sets ALIGN_REQUIRE_METACLIP_INPUTS, so MetadataMatcherTest fails rather than skips.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:-${XDG_CACHE_HOME:-$HOME/.cache}/align/metaclip-inputs}"
script="${ALIGN_SHARED:-$here/../shared}/bench/metaclip_inputs.py"
for need in /usr/bin/python3 /usr/share/dict/american-english "$script"; do
  if [ ! -e "$need" ]; then
    echo "metaclip-inputs: $need is missing; not generating (tests that need the inputs skip)" >&2
    exit 0
  fi
done
if (cd "$dir" 2>/dev/null && sha256sum --quiet -c - <<'SUMS'); then
e772a473ffdbc995c2a0089576c50cafdea7c86fd6bd207180f732b781b0147d  entries.txt
2501bf62df31e7be50f61d2a91c25f4eb80bdd4b8fd889c16482064e102f0351  captions.txt
SUMS
  echo "metaclip-inputs: $dir is up to date"
  exit 0
fi
mkdir -p "$dir"
/usr/bin/python3 "$script" "$dir"
(cd "$dir" && sha256sum -c - <<'SUMS'
e772a473ffdbc995c2a0089576c50cafdea7c86fd6bd207180f732b781b0147d  entries.txt
2501bf62df31e7be50f61d2a91c25f4eb80bdd4b8fd889c16482064e102f0351  captions.txt
SUMS
)
