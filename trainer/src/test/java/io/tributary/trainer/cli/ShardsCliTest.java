package io.tributary.trainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tributary prepare} writes shards that {@code data.type: shards} trains from on two nodes, a job stopped
 * mid-epoch resumes to the same parameters, and a corrupt shard or a second prepare into the same directory is one
 * line and exit 2.
 */
class ShardsCliTest
{
    private static final Pattern DONE = Pattern.compile("done: node (\\d) of 2, 2 epochs, 94 steps, .*checksum (\\w+)\\)");

    @TempDir
    Path dir;

    @Test
    void twoNodesTrainOnPreparedShardsAndResumeMidEpoch() throws Exception
    {
        final Path shards = dir.resolve("shards");
        final CliRun prepared = CliRun.of("prepare", "synthetic:3000", "--features", "8", "--classes", "3",
            "--test-size", "300", "--shard-mb", "1", "--out", shards.toString());
        assertEquals(0, prepared.exitCode(), prepared.err());
        assertTrue(prepared.out().startsWith("prepared " + shards + ": 3000 train examples in 1 shard(s), 300 test " +
            "in 1, 8 features, 3 classes"), prepared.out());
        final Path config = Files.writeString(dir.resolve("shards.yaml"), String.join("\n",
            "model:", "  builtin: mlp", "  hidden: [16]",
            "data:", "  type: shards", "  dir: " + shards,
            "optimizer:", "  type: adam", "  lr: 0.01",
            "cluster:", "  devices: 2", "  timeout_s: 10",
            "run:", "  epochs: 2", "  batch_size: 64", "  checkpoint_steps: 10", ""));
        final Path whole = dir.resolve("whole");
        final String checksum = CliJob.commonChecksum(new CliJob(2).run(config, whole), DONE);
        final double accuracy = new ObjectMapper().readTree(whole.resolve(RunDirectory.METRICS).toFile())
            .get("test_accuracy").asDouble();
        assertTrue(accuracy > 0.9, "the synthetic classes are easy: " + accuracy);

        final Path parted = dir.resolve("parted");
        for (final CliRun node : new CliJob(2).run(config, parted, "--stop-after-steps", "29"))
        {
            assertEquals(0, node.exitCode(), node.err());
        }
        final List<CliRun> resumed = new CliJob(2).run(config, parted, "--resume", parted.toString());
        assertEquals(checksum, CliJob.commonChecksum(resumed, DONE), "resumed mid-epoch 1, it ends where the whole run did");
    }

    @Test
    void aCorruptShardIsOneLineBeforeTraining() throws Exception
    {
        final Path shards = dir.resolve("shards");
        assertEquals(0, CliRun.of("prepare", "synthetic:500", "--features", "4", "--classes", "2", "--test-size",
            "50", "--out", shards.toString()).exitCode());
        final Path shard = shards.resolve("train-00000.bin");
        try (RandomAccessFile file = new RandomAccessFile(shard.toFile(), "rw"))
        {
            file.seek(102);
            final int original = file.read();
            file.seek(102);
            file.write(original ^ 1);
        }
        final Path config = Files.writeString(dir.resolve("bad.yaml"), String.join("\n",
            "model:", "  builtin: mlp", "  hidden: [8]", "data:", "  type: shards", "  dir: " + shards,
            "run:", "  epochs: 1", "  batch_size: 16", ""));
        CliRun.train(config, dir.resolve("out")).assertUserError(shard + ": shard corrupt: CRC-32C ", "the index says");

        final CliRun again = CliRun.of("prepare", "synthetic:10", "--out", shards.toString());
        again.assertUserError(shards + ": already holds a shard index; choose another --out or remove it", "");
    }
}
