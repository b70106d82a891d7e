#!/usr/bin/env bash
# English-only vs multilingual vs MetaCLIP-2-balanced multilingual training at equal compute
# (same steps x global batch, so the same number of samples seen), each scored zero-shot per
# language on OpenMoji's drawings (a drawing style training never saw), on the classes that the
# emoji share, named in each language by its CLDR label.
#
#   tools/experiments/multilingual.sh OUT            # defaults below; override by environment:
#   LANGS=en,de,es,fr,ja,zh,th,hi,ru STEPS=3000 BATCH=128 VOCAB=4000 T_EN=8 SEED=0 \
#     tools/experiments/multilingual.sh /tmp/ml
#   COUNT=400 STEPS=20 BATCH=32 tools/experiments/multilingual.sh /tmp/ml-check   # quick check
#
# Arms (one tiny model each, tokenizer of VOCAB ids trained on that arm's own captions):
#   en        emoji, English captions only
#   multi     emoji captioned once per language of LANGS (every drawing in every language)
#   balanced  multi curated by MetaCLIP 2: per-language metadata built from the captions,
#             language from script (else the recorded lang), t per language from T_EN by equal
#             tail share
# Writes OUT/report.md (top-1/top-5 per arm and language) and each arm's JSON reports.
set -euo pipefail
out="${1:?usage: $0 OUT}"
langs="${LANGS:-en,de,es,fr,ja,zh,th,hi,ru}"
steps="${STEPS:-3000}"
batch="${BATCH:-128}"
vocab="${VOCAB:-4000}"
t_en="${T_EN:-8}"
seed="${SEED:-0}"
min_count="${MIN_COUNT:-3}"
count="${COUNT:-0}"            # samples per import, 0 = all (a small value for a quick check)
here="$(cd "$(dirname "$0")/../.." && pwd)"
align="$here/align"
mkdir -p "$out"

shards() {  # the brace pattern of an import's shards
  local dir="$1" n
  n=$(ls "$dir"/0*.tar | wc -l)
  if [[ "$n" == 1 ]]; then echo "$dir/00000.tar"; else printf '%s/{00000..%05d}.tar' "$dir" $((n - 1)); fi
}

[[ -d "$out/emoji-en" ]] || "$align" data import emoji --out "$out/emoji-en" --styles google,twitter \
    --vocab-size "$vocab" --seed "$seed" --count "$count"
[[ -d "$out/emoji-multi" ]] || "$align" data import emoji --out "$out/emoji-multi" --styles google,twitter \
    --languages "$langs" --vocab-size "$vocab" --seed "$seed" --count "$count"
[[ -d "$out/openmoji" ]] || "$align" data import openmoji --out "$out/openmoji" \
    --languages "$langs" --image-size 32

# MetaCLIP 2 on the multilingual pool: metadata per language from its own captions, then balance.
if [[ ! -d "$out/balanced" ]]; then
  "$align" curate metadata --captions "$(shards "$out/emoji-multi")" --by-language "$langs" \
      --min-unigram-count "$min_count" --min-bigram-count "$min_count" --out "$out/metadata"
  "$align" curate --pool "$(shards "$out/emoji-multi")" \
      --steps "metaclip2:metadata=$out/metadata,t=$t_en,seed=$seed" --out "$out/balanced"
  "$align" data tokenizer --shards "$(shards "$out/balanced/shards")" --multilingual \
      --vocab-size "$vocab" --out "$out/balanced/tokenizer.json"
fi

model() {  # the tiny preset with a text tower of VOCAB ids
  cat <<JSON
{"schemaVersion": 1, "embedDim": 128, "initLogitScale": 2.659260036932778,
 "vision": {"imageSize": 32, "patchSize": 4, "width": 128, "layers": 4, "heads": 4,
            "mlpRatio": 4.0, "activation": "GELU", "patchDropout": 0.0},
 "text": {"contextLength": 32, "vocabSize": $vocab, "width": 128, "layers": 4, "heads": 4,
          "mlpRatio": 4.0, "activation": "GELU", "causal": true, "pool": "ARGMAX", "padId": 0}}
JSON
}

train() {  # ARM SHARDS TOKENIZER
  local arm="$1" data="$2" tokenizer="$3"
  [[ -d "$out/run-$arm/model" ]] && return 0
  cat > "$out/train-$arm.json" <<JSON
{"schemaVersion": 1, "model": {"config": $(model)},
 "data": {"kind": "SHARDS", "shards": "$data", "tokenizer": "$tokenizer"},
 "loss": {"kind": "INFONCE"},
 "optimizer": {"peakLr": 1e-3, "warmupSteps": $((steps / 10 > 0 ? steps / 10 : 1)), "weightDecay": 0.1},
 "globalBatch": $batch, "steps": $steps, "seed": $seed, "checkpointEvery": $steps}
JSON
  "$align" train --config "$out/train-$arm.json" --out "$out/run-$arm"
}

train en "$(shards "$out/emoji-en")" "$out/emoji-en/tokenizer.json"
train multi "$(shards "$out/emoji-multi")" "$out/emoji-multi/tokenizer.json"
train balanced "$(shards "$out/balanced/shards")" "$out/balanced/tokenizer.json"

for arm in en multi balanced; do
  "$align" eval zero-shot --model "$out/run-$arm/model" --data "$out/openmoji/eval" \
      --classes "$out/emoji-en/labels.txt" --languages "$langs" \
      --report "$out/zero-shot-$arm.json"
done

python3 - "$out" "$langs" <<'PY'
import json, sys
out, langs = sys.argv[1], sys.argv[2].split(",")
arms = ["en", "multi", "balanced"]
rows = {}
for arm in arms:
    report = json.load(open(f"{out}/zero-shot-{arm}.json"))
    d = report["datasets"][0]
    rows[arm] = {l["language"]: l for l in d["languages"]}
    classes, images = d["classes"], d["evaluated"]
lines = [f"OpenMoji zero-shot on {classes} classes named in every language, {images} drawings; "
         "top-1 / top-5 (%)", "",
         "| language | " + " | ".join(arms) + " |", "|---|" + "---|" * len(arms)]
for lang in langs:
    cells = [f"{100 * rows[a][lang]['top1']:.2f} / {100 * rows[a][lang]['top5']:.2f}" for a in arms]
    lines.append(f"| {lang} | " + " | ".join(cells) + " |")
cur = json.load(open(f"{out}/balanced/languages.json"))
lines += ["", f"MetaCLIP 2: English t = {cur['englishT']}, tail share p = {cur['tailShare']:.4f}", "",
          "| language | pairs | identified by script | matched | kept | t |", "|---|---|---|---|---|---|"]
for l in cur["languages"]:
    lines.append(f"| {l['language']} | {l['pairs']} | {l['identified']} | {l['matched']} | "
                 f"{l['kept']} | {l['t']} |")
open(f"{out}/report.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
