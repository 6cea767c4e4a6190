package io.tributary.trainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tributary.trainer.TrainResult;
import io.tributary.trainer.config.ConfigException;
import io.tributary.trainer.config.ConfigLoader;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.model.TrainableModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** The files a run leaves: config.yaml (resolved), model.zip (with updater state), metrics.json, checkpoints. */
final class RunDirectory
{
    static final String CONFIG = "config.yaml";
    static final String MODEL = "model.zip";
    static final String METRICS = "metrics.json";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path dir;

    private RunDirectory(final Path dir)
    {
        this.dir = dir;
    }

    /** {@code out} when given, else {@code run.out/NAME-TIMESTAMP}. */
    static RunDirectory create(final TrainConfig config, final Path out)
    {
        final Path dir = out != null ? out :
            config.run().out().resolve(config.name() + "-" + LocalDateTime.now().format(STAMP));
        try
        {
            Files.createDirectories(dir);
        }
        catch (final IOException ex)
        {
            throw new ConfigException(out != null ? "--out " + out : "run.out " + config.run().out(), "",
                "cannot create the run directory " + dir + " (" + ex + ")");
        }
        return new RunDirectory(dir);
    }

    Path path()
    {
        return dir;
    }

    void writeConfig(final TrainConfig config) throws IOException
    {
        Files.writeString(dir.resolve(CONFIG), ConfigLoader.toYaml(config));
    }

    void writeModel(final TrainableModel model, final String name) throws IOException
    {
        model.save(dir.resolve(name).toFile());
    }

    void writeMetrics(final TrainResult result, final int threadsPerDevice) throws IOException
    {
        final Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("test_accuracy", result.testAccuracy());
        metrics.put("samples_per_sec", result.samplesPerSec());
        metrics.put("epochs", result.epochs());
        metrics.put("devices", result.devices());
        metrics.put("nodes", result.nodes());
        metrics.put("threads_per_device", threadsPerDevice);
        metrics.put("steps", result.steps());
        metrics.put("samples", result.samples());
        metrics.put("train_seconds", result.trainSeconds());
        metrics.put("final_loss", result.finalLoss());
        metrics.put("epoch_test_accuracy", result.epochAccuracy().stream().map(a -> a.isNaN() ? null : a).toList());
        final Map<String, Object> stepMs = new LinkedHashMap<>();
        stepMs.put("p50", result.stepMs().p50());
        stepMs.put("p90", result.stepMs().p90());
        stepMs.put("p99", result.stepMs().p99());
        stepMs.put("max", result.stepMs().max());
        metrics.put("step_ms", stepMs);
        metrics.put("param_checksum", String.format("%08x", result.paramChecksum()));
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(METRICS).toFile(), metrics);
    }
}
