package io.tributary.trainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tributary.trainer.TrainResult;
import io.tributary.trainer.TrainingPosition;
import io.tributary.trainer.balance.LoadBalancer;
import io.tributary.trainer.checkpoint.NodeStates;
import io.tributary.trainer.config.ConfigException;
import io.tributary.trainer.config.ConfigLoader;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.metrics.Timeline;
import io.tributary.trainer.model.TrainableModel;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files a run leaves: config.yaml (resolved), model.zip (with updater state), metrics.json, the resumable
 * checkpoint.zip and the kept checkpoint-epoch-E.zip. Only node 0 of a job writes them.
 */
final class RunDirectory
{
    static final String CONFIG = "config.yaml";
    static final String MODEL = "model.zip";
    static final String METRICS = "metrics.json";
    static final String TIMELINE = "timeline.json";
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

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
            Files.delete(Files.createTempFile(dir, ".probe", ".tmp"));
        }
        catch (final IOException ex)
        {
            throw new ConfigException(out != null ? "--out " + out : "run.out " + config.run().out(), "",
                "cannot create the run directory " + dir + " or write in it (" + reason(ex) + ")");
        }
        return new RunDirectory(dir);
    }

    Path path()
    {
        return dir;
    }

    void writeConfig(final TrainConfig config) throws IOException
    {
        final String yaml = ConfigLoader.toYaml(config);
        writeAtomically(CONFIG, file -> Files.writeString(file, yaml));
    }

    void writeModel(final TrainableModel model, final String name) throws IOException
    {
        writeAtomically(name, file -> model.save(file.toFile()));
    }

    /** Writes {@code checkpoint.zip} atomically; returns its path. */
    Path writeCheckpoint(final TrainableModel model, final TrainingPosition position, final NodeStates states,
        final TrainConfig config, final int trainExamples, final String identity) throws IOException
    {
        writeAtomically(Checkpoint.FILE,
            file -> Checkpoint.write(file, model, position, states, config, trainExamples, identity));
        return dir.resolve(Checkpoint.FILE);
    }

    /**
     * metrics.json: the run's summary, and under {@code nodes} one object per node (see {@link NodeMetrics}).
     * {@code node_count} is the number of nodes.
     *
     * @param strategy the resolved {@code strategy} section, so a reader knows which strategy and codecs ran
     */
    void writeMetrics(final TrainResult result, final int threadsPerDevice, final Map<String, Object> strategy,
        final List<Map<String, Object>> nodes) throws IOException
    {
        final Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("test_accuracy", result.testAccuracy());
        metrics.put("samples_per_sec", result.samplesPerSec());
        metrics.put("epochs", result.epochs());
        metrics.put("devices", result.devices());
        metrics.put("node_count", result.nodes());
        metrics.put("devices_per_node", result.devicesPerNode());
        metrics.put("threads_per_device", threadsPerDevice);
        metrics.put("steps", result.steps());
        metrics.put("samples", result.samples());
        metrics.put("train_seconds", result.trainSeconds());
        metrics.put("final_loss", result.finalLoss());
        metrics.put("epoch_test_accuracy", result.epochAccuracy().stream().map(a -> a.isNaN() ? null : a).toList());
        metrics.put("accuracy_curve", AccuracyCurveJson.toList(result.accuracyCurve()));
        metrics.put("step_ms", NodeMetrics.percentiles(result.stepMs()));
        metrics.put("param_checksum", String.format("%08x", result.paramChecksum()));
        metrics.put("strategy", strategy);
        metrics.put("balance", balance(result));
        metrics.put("nodes", nodes);
        writeAtomically(METRICS, file -> new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .writeValue(file.toFile(), metrics));
    }

    /** The shares the last batch was cut by, and every change of them with the measurements behind it. */
    private static Map<String, Object> balance(final TrainResult result)
    {
        final Map<String, Object> balance = new LinkedHashMap<>();
        balance.put("shares", result.shares());
        balance.put("changes", result.shareChanges().stream().map(RunDirectory::shareEntry).toList());
        if (result.lastPlan() != null)
        {
            balance.put("last_plan", shareEntry(result.lastPlan()));
        }
        balance.put("dropped_contributions", result.droppedContributions());
        return balance;
    }

    private static Map<String, Object> shareEntry(final LoadBalancer.ShareChange change)
    {
        final Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("global_step", change.globalStep());
        entry.put("shares", change.shares());
        entry.put("seconds_per_example", change.secondsPerExample());
        return entry;
    }

    void writeTimeline(final Timeline timeline) throws IOException
    {
        writeAtomically(TIMELINE, timeline::writeJson);
    }

    private static String reason(final IOException ex)
    {
        if (ex instanceof FileSystemException && ((FileSystemException)ex).getReason() != null)
        {
            return ((FileSystemException)ex).getReason();
        }
        if (ex instanceof AccessDeniedException)
        {
            return "permission denied";
        }
        if (ex instanceof NoSuchFileException)
        {
            return "no such file or directory";
        }
        if (ex instanceof FileAlreadyExistsException)
        {
            return "a file is in the way";
        }
        return ex.getMessage();
    }

    private interface FileWriter
    {
        void write(Path file) throws IOException;
    }

    /**
     * The rename itself survives a power loss only once the directory is synced; where a file system cannot
     * open a directory for that, the rename is still atomic for readers.
     */
    private void syncDirectory()
    {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ))
        {
            channel.force(true);
        }
        catch (final IOException ex)
        {
            // Not supported here (some file systems, other platforms): readers still see one whole file.
        }
    }

    /** Temporary file, fsync, rename, directory fsync: a reader (or a crash) sees the old file or the whole new one. */
    private void writeAtomically(final String name, final FileWriter writer) throws IOException
    {
        final Path target = dir.resolve(name);
        final Path temporary = dir.resolve("." + name + ".tmp");
        try
        {
            writer.write(temporary);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE))
            {
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory();
        }
        catch (final IOException ex)
        {
            Files.deleteIfExists(temporary);
            throw new IOException("cannot write " + target + ": " + reason(ex), ex);
        }
        catch (final RuntimeException ex)
        {
            Files.deleteIfExists(temporary);
            throw ex;
        }
    }
}
