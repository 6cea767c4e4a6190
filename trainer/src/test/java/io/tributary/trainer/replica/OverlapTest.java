package io.tributary.trainer.replica;

import io.tributary.trainer.Trainer;
import io.tributary.trainer.TrainingListener;
import io.tributary.trainer.config.ConfigLoader;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.data.DataSource;
import io.tributary.trainer.data.TrainTest;
import io.tributary.trainer.metrics.Timeline;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code strategy.overlap} on one node: each bucket is summed while backprop goes on, so the node sum of every
 * element is the same left-to-right sum over the replicas as without overlap, and the run ends bit-identical to
 * the sync run (which itself equals one device on the whole batch within SyncStepExactnessTest's tolerances).
 * Uneven slices (batch 11) and an Adam run; small buckets so that each model has several. The timeline shows
 * buckets reduced while replica 0 still computes.
 */
class OverlapTest
{
    private static final String MLP = String.join("\n",
        "model:", "  builtin: mlp", "  hidden: [64, 32]",
        "data:", "  type: synthetic", "  size: 220", "  test_size: 20", "  features: 30", "  classes: 4",
        "optimizer:", "  type: adam", "  lr: 0.01",
        "strategy:", "  check_every: 5", "  bucket_mb: 0.004",
        "run:", "  epochs: 1", "  batch_size: 11", "  seed: 5", "  eval_each_epoch: false", "  timeline_steps: 20", "");
    private static final String LENET = String.join("\n",
        "model:", "  builtin: lenet",
        "data:", "  type: synthetic", "  size: 66", "  test_size: 10", "  features: 256", "  classes: 4",
        "optimizer:", "  type: sgd", "  lr: 0.05",
        "strategy:", "  check_every: 5", "  bucket_mb: 0.05",
        "run:", "  epochs: 1", "  batch_size: 11", "  seed: 5", "  eval_each_epoch: false", "  timeline_steps: 6", "");

    @ParameterizedTest(name = "{0} devices={1}")
    @CsvSource({ "mlp, 1", "mlp, 2", "mlp, 3", "lenet, 2" })
    void overlapEndsBitIdenticalToSyncAndReducesDuringBackprop(final String model, final int devices)
        throws IOException
    {
        final String yaml = "mlp".equals(model) ? MLP : LENET;
        final float[] sync = train(yaml, devices, false, null);
        final ByteArrayOutputStream trace = new ByteArrayOutputStream();
        final float[] overlapped = train(yaml, devices, true, trace);
        assertArrayEquals(sync, overlapped, "overlap must give the sync step's parameters");
        // Every recorded step has a reduce event per bucket (at least two buckets here), and in some step a bucket's
        // reduce started before replica 0's backward pass ended: communication during backprop.
        final JsonNode events = new ObjectMapper().readTree(trace.toByteArray()).get("traceEvents");
        final Map<Integer, Long> computeEnd = new HashMap<>();
        final Map<Integer, Long> firstReduce = new HashMap<>();
        int reduces = 0;
        for (final JsonNode e : events)
        {
            final int step = e.path("args").path("step").asInt();
            if ("compute".equals(e.path("name").asText()) && e.get("tid").asInt() == 0)
            {
                computeEnd.put(step, e.get("ts").asLong() + e.get("dur").asLong());
            }
            if ("bucket-reduce".equals(e.path("name").asText()))
            {
                reduces++;
                firstReduce.merge(step, e.get("ts").asLong(), Math::min);
            }
        }
        assertTrue(reduces >= 2 * computeEnd.size(), reduces + " bucket reduces in " + computeEnd.size() + " steps");
        assertTrue(firstReduce.keySet().stream().anyMatch(step -> firstReduce.get(step) < computeEnd.get(step)),
            "no bucket was reduced during backprop");
    }

    static float[] train(final String yaml, final int devices, final boolean overlap, final ByteArrayOutputStream trace)
        throws IOException
    {
        final TrainConfig config = ConfigLoader.parse("overlap.yaml", yaml,
            List.of("cluster.devices=" + devices, "strategy.overlap=" + overlap));
        final TrainTest data = DataSource.of(config.data()).load();
        try (Trainer trainer = new Trainer(config, data))
        {
            final float[] params = trainer.train(TrainingListener.NONE).model().params().toFloatVector();
            if (trace != null)
            {
                final Timeline timeline = trainer.gatherTimeline();
                timeline.writeJson(trace);
            }
            return params;
        }
    }
}
