package io.tributary.trainer.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The training loop: epochs, global batch size, seed, evaluation, output and checkpoints. */
public record RunConfig(int epochs, int batchSize, long seed, boolean evalEachEpoch, Path out, int checkpointEvery)
{
    static RunConfig read(final ConfigReader r)
    {
        r.allow("epochs", "batch_size", "seed", "eval_each_epoch", "out", "checkpoint_every");
        return new RunConfig(
            r.integer("epochs", 1, 1, 100_000),
            r.integer("batch_size", 128, 1, 1 << 24),
            r.longValue("seed", 42),
            r.bool("eval_each_epoch", true),
            Path.of(r.string("out", "runs")),
            r.integer("checkpoint_every", 0, 0, 100_000));
    }

    Map<String, Object> toMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("epochs", epochs);
        map.put("batch_size", batchSize);
        map.put("seed", seed);
        map.put("eval_each_epoch", evalEachEpoch);
        map.put("out", out.toString());
        map.put("checkpoint_every", checkpointEvery);
        return map;
    }
}
