package io.tributary.trainer.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The training loop: epochs, global batch size, seed, evaluation, output and checkpoints.
 * {@code checkpointEvery} counts epochs (a kept checkpoint-epoch-E.zip); {@code checkpointSteps} counts steps
 * (the resumable checkpoint, also written at each epoch end; 0 = epoch ends only); {@code timelineSteps} is how
 * many first steps go into timeline.json (0 = none); {@code maxSteps} ends training after that many global steps,
 * cutting the last epoch short (0 = every epoch whole); {@code evalEverySteps} evaluates the test accuracy every that
 * many global steps besides the epoch ends (0 = epoch ends only), for metrics.json's {@code accuracy_curve}.
 */
public record RunConfig(int epochs, int batchSize, long seed, boolean evalEachEpoch, Path out, int checkpointEvery,
    int checkpointSteps, int timelineSteps, long maxSteps, int evalEverySteps)
{
    public static final int DEFAULT_TIMELINE_STEPS = 50;

    /** No step checkpoints, the default timeline. */
    public RunConfig(final int epochs, final int batchSize, final long seed, final boolean evalEachEpoch,
        final Path out, final int checkpointEvery)
    {
        this(epochs, batchSize, seed, evalEachEpoch, out, checkpointEvery, 0, DEFAULT_TIMELINE_STEPS, 0, 0);
    }

    static RunConfig read(final ConfigReader r)
    {
        r.allow("epochs", "batch_size", "seed", "eval_each_epoch", "out", "checkpoint_every", "checkpoint_steps",
            "timeline_steps", "max_steps", "eval_every_steps");
        return new RunConfig(
            r.integer("epochs", 1, 1, 100_000),
            r.integer("batch_size", 128, 1, 1 << 24),
            r.longValue("seed", 42),
            r.bool("eval_each_epoch", true),
            Path.of(r.string("out", "runs")),
            r.integer("checkpoint_every", 0, 0, 100_000),
            r.integer("checkpoint_steps", 0, 0, Integer.MAX_VALUE),
            r.integer("timeline_steps", DEFAULT_TIMELINE_STEPS, 0, 100_000),
            r.integer("max_steps", 0, 0, Integer.MAX_VALUE),
            r.integer("eval_every_steps", 0, 0, Integer.MAX_VALUE));
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
        map.put("checkpoint_steps", checkpointSteps);
        map.put("timeline_steps", timelineSteps);
        map.put("max_steps", maxSteps);
        map.put("eval_every_steps", evalEverySteps);
        return map;
    }
}
