package dev.align.train.data;

import dev.align.core.data.ImageTextSource;
import dev.align.models.config.ClipConfig;
import dev.align.train.Seeds;
import dev.align.train.config.TrainConfig;

/** Opens the data source a run config names. */
public final class DataSources {

    private DataSources() {}

    /** The source of {@code cfg.data()}, seeded by the run's data seed. */
    public static ImageTextSource open(TrainConfig cfg) {
        ClipConfig model = cfg.model().resolve();
        long seed = new Seeds(cfg.seed()).data();
        return switch (cfg.data().kind()) {
            case SYNTHETIC -> new SyntheticPairs(model.vision().imageSize(),
                    model.text().contextLength(), model.text().vocabSize(), seed);
        };
    }
}
