package io.tributary.trainer.data;

import io.tributary.trainer.config.DataConfig;

/**
 * Loads examples: into memory, or (shards) mapped from files. Nothing is downloaded: every source reads local files
 * or generates data.
 */
public interface DataSource
{
    TrainTest load();

    static DataSource of(final DataConfig config)
    {
        switch (config.kind())
        {
            case SYNTHETIC:
                return new SyntheticSource(config.size(), config.testSize(), config.features(), config.classes(),
                    config.seed(), config.spread());
            case CSV:
                return new CsvSource(config.path(), config.testPath(), config.labelColumn(), config.header(),
                    config.classes());
            case SHARDS:
                return new ShardSource(config.dir(), config.windowShards());
            default:
                return new FashionMnistSource(config.dir());
        }
    }
}
