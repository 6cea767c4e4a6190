package io.tributary.trainer.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.trainer.cli.Main;
import io.tributary.trainer.codec.Codecs;
import io.tributary.trainer.codec.DirectFloats;
import io.tributary.trainer.codec.GradientCodec;
import io.tributary.trainer.config.StrategyConfig;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What {@code tributary advise} measures before it predicts: one short synchronous job of N nodes on loopback
 * through the launcher (its median step less its median inter-node reduce is a node's step; the median reduce is
 * the transport's cost for the fp32 gradient), and each codec's message size and compress and decode times on a
 * gradient-sized vector of Gaussian values. Together they make a {@link StepModel}.
 */
public final class Advisor
{
    /** Steps of the measuring job: enough for stable medians, few enough for seconds. */
    public static final int MEASURED_STEPS = 150;
    private static final int CODEC_TRIALS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Advisor()
    {
    }

    /** What the measuring job gave: a node's step without the reduce, the reduce, and the gradient's length. */
    public record JobMeasurement(double nodeStepMs, double reduceMs, long numParams)
    {
    }

    /**
     * Runs {@code nodes} nodes of {@code config} with sync for {@link #MEASURED_STEPS} steps in {@code dir}.
     *
     * @throws IOException when the job fails (its last error line is in the message)
     */
    public static JobMeasurement measureJob(final Path config, final List<String> overrides, final int nodes,
        final Path dir) throws IOException
    {
        final List<String> args = new ArrayList<>(List.of("launch", "--nodes", Integer.toString(nodes),
            config.toString(), "--out", dir.toString(), "--progress-seconds", "3600"));
        final List<String> sets = new ArrayList<>(overrides);
        sets.addAll(StrategyRegistry.overrides(StrategyConfig.SYNC, 1));
        sets.addAll(List.of("run.max_steps=" + MEASURED_STEPS, "run.eval_each_epoch=false", "run.eval_every_steps=0"));
        sets.forEach(set -> args.addAll(List.of("--set", set)));
        Files.createDirectories(dir);
        final Path log = dir.resolve("launch.log");
        final int code;
        try (OutputStream file = Files.newOutputStream(log);
            PrintStream out = new PrintStream(file, true, StandardCharsets.UTF_8))
        {
            code = Main.run(args.toArray(String[]::new), out, out);
        }
        if (code != 0)
        {
            throw new IOException("the measuring job failed (exit " + code + "): " + Comparison.firstError(log));
        }
        final JsonNode metrics = JSON.readTree(Files.readString(dir.resolve("metrics.json")));
        final double step = metrics.path("step_ms").path("p50").asDouble();
        final double reduce = metrics.path("nodes").path(0).path("phase_ms").path("inter_reduce").path("p50").asDouble();
        final double bytesPerStep = metrics.path("nodes").path(0).path("compression").path("wire_bytes_per_step")
            .path("p50").asDouble();
        // Sync sends 2 (N-1)/N of the fp32 gradient per node and step.
        final long numParams = Math.round(bytesPerStep / (8.0 * (nodes - 1) / nodes));
        return new JobMeasurement(Math.max(0, step - reduce), reduce, numParams);
    }

    /** Each codec's cost on {@code length} values; "none" is the exact fp32 vector, free to encode. */
    public static Map<String, StepModel.CodecCost> measureCodecs(final StrategyConfig strategy, final int length)
    {
        final Map<String, StepModel.CodecCost> costs = new LinkedHashMap<>();
        costs.put(Codecs.NONE, new StepModel.CodecCost(true, 4.0 * length, 0, 0));
        final Random random = new Random(1);
        final ByteBuffer gradient = DirectFloats.floats(length);
        final ByteBuffer x = DirectFloats.floats(length);
        final ByteBuffer sum = DirectFloats.floats(length);
        final ByteBuffer wire = DirectFloats.floats(length);
        for (int i = 0; i < length; i++)
        {
            gradient.putFloat(i * Float.BYTES, (float)(random.nextGaussian() * 1e-3));
        }
        for (final String name : Codecs.names())
        {
            if (Codecs.NONE.equals(name))
            {
                continue;
            }
            try (GradientCodec codec = Codecs.create(name, strategy, length))
            {
                double compressMs = Double.MAX_VALUE;
                double decodeMs = Double.MAX_VALUE;
                int bytes = 0;
                for (int trial = 0; trial < CODEC_TRIALS; trial++)
                {
                    x.clear();
                    x.put(gradient.duplicate().clear());
                    long start = System.nanoTime();
                    bytes = codec.compress(x, trial);
                    compressMs = Math.min(compressMs, (System.nanoTime() - start) / 1e6);
                    DirectFloats.zero(sum, length);
                    start = System.nanoTime();
                    if (codec.summable())
                    {
                        // Along the ring every hop encodes and decodes partial sums: one round trip of the vector.
                        codec.wire().encode(x, length, wire, trial);
                        codec.wire().decode(wire, length, sum);
                    }
                    else
                    {
                        codec.decodeAdd(codec.message(), bytes, sum);
                    }
                    decodeMs = Math.min(decodeMs, (System.nanoTime() - start) / 1e6);
                }
                costs.put(name, new StepModel.CodecCost(codec.summable(), bytes, compressMs, decodeMs));
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException("measuring codec " + name + ": " + ex.getMessage(), ex);
            }
        }
        return costs;
    }
}
