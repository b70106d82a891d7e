package dev.align.eval.zeroshot;

import dev.align.eval.embed.TextEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Embeds prompts by table lookup and records every prompt it was asked for. */
final class FakeTextEncoder implements TextEncoder {
    final Map<String, float[]> table;
    final List<String> seen = new ArrayList<>();

    FakeTextEncoder(Map<String, float[]> table) {
        this.table = table;
    }

    @Override
    public int embeddingDim() {
        return table.values().iterator().next().length;
    }

    @Override
    public synchronized float[][] encodeTexts(List<String> texts) {
        seen.addAll(texts);
        float[][] out = new float[texts.size()][];
        for (int i = 0; i < out.length; i++) {
            float[] v = table.get(texts.get(i));
            if (v == null) {
                throw new IllegalArgumentException("unexpected prompt " + texts.get(i));
            }
            out[i] = v.clone();
        }
        return out;
    }
}
