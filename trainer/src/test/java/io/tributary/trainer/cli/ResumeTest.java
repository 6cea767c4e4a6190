package io.tributary.trainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run stopped at a checkpoint and resumed with {@code --resume} ends bit-identical to the same run
 * uninterrupted: parameters, Adam's moments, the iteration and epoch counts, the checksum, the metrics. Adam
 * makes the iteration count matter (bias correction), an uneven last batch (70 = 4 x 16 + 6) makes the
 * epoch position matter, and 2 devices make the replica restore matter.
 */
class ResumeTest
{
    private static final String CONFIG = String.join("\n",
        "model:", "  builtin: mlp", "  hidden: [8]",
        "data:", "  type: synthetic", "  size: 70", "  test_size: 20", "  features: 5", "  classes: 3",
        "optimizer:", "  type: adam", "  lr: 0.01",
        "cluster:", "  devices: 2",
        "run:", "  epochs: 3", "  batch_size: 16", "  seed: 11", "  checkpoint_steps: 3", "");
    private static final int STEPS = 15;

    @TempDir
    static Path dir;
    private static Path config;
    private static Path uninterrupted;

    @BeforeAll
    static void trainWithoutStopping() throws IOException
    {
        config = Files.writeString(dir.resolve("resume.yaml"), CONFIG);
        uninterrupted = dir.resolve("uninterrupted");
        final CliRun run = CliRun.train(config, uninterrupted);
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("done: 3 epochs, " + STEPS + " steps"), run.out());
    }

    @Test
    void resumedMidEpochEndsBitIdentical() throws IOException
    {
        final Path out = dir.resolve("mid-epoch");
        // Checkpoints at global steps 3, 5 (epoch end), 6, 9: the first at or after 7 is 9, epoch 2 step 5 of 5.
        final CliRun stopped = CliRun.train(config, out, "--stop-after-steps", "7");
        assertEquals(0, stopped.exitCode(), stopped.err());
        assertTrue(stopped.out().contains("stopped: at global step 9"), stopped.out());
        assertFalse(Files.exists(out.resolve(RunDirectory.MODEL)), "a stopped run writes no final model");
        final MultiLayerNetwork atCheckpoint = ModelSerializer.restoreMultiLayerNetwork(
            out.resolve(Checkpoint.FILE).toFile(), true);
        assertEquals(9, atCheckpoint.getIterationCount(), "plain DL4J restores the checkpoint, counts included");
        assertEquals(1, atCheckpoint.getEpochCount());

        // A write interrupted before its rename leaves only the temporary file: a resume never reads it.
        Files.writeString(out.resolve("." + Checkpoint.FILE + ".tmp"), "half a zip");
        final CliRun resumed = CliRun.of("train", config.toString(), "--resume", out.toString());
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().contains("resumed: " + out.resolve(Checkpoint.FILE) + " at epoch 2 step 5 (global step 9)"),
            resumed.out());
        assertTrue(resumed.out().contains("done: 3 epochs, " + STEPS + " steps"), resumed.out());
        assertSameRun(uninterrupted, out);
    }

    @Test
    void resumedAtAnEpochEndEndsBitIdentical() throws IOException
    {
        final Path out = dir.resolve("epoch-end");
        final CliRun stopped = CliRun.train(config, out, "--stop-after-steps", "4");
        assertEquals(0, stopped.exitCode(), stopped.err());
        assertTrue(stopped.out().contains("stopped: at global step 5"), stopped.out());
        final Path elsewhere = dir.resolve("epoch-end-resumed");
        final CliRun resumed = CliRun.train(config, elsewhere, "--resume", out.toString());
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().contains("at epoch 2 step 1 (global step 5)"), resumed.out());
        assertSameRun(uninterrupted, elsewhere);
    }

    @Test
    void aComputationGraphResumesBitIdenticalToo() throws IOException
    {
        final ComputationGraphConfiguration graph = new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(0.01))
            .dataType(DataType.FLOAT).graphBuilder()
            .addInputs("in")
            .addLayer("hidden", new DenseLayer.Builder().nIn(5).nOut(6).activation(Activation.TANH).build(), "in")
            .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(6).nOut(3)
                .activation(Activation.SOFTMAX).build(), "hidden")
            .setOutputs("out").build();
        final Path json = Files.writeString(dir.resolve("graph.json"), graph.toJson());
        final Path graphConfig = Files.writeString(dir.resolve("graph.yaml"),
            CONFIG.replace("  builtin: mlp\n  hidden: [8]", "  path: " + json));
        final Path whole = dir.resolve("graph-whole");
        assertEquals(0, CliRun.train(graphConfig, whole).exitCode());
        final Path parted = dir.resolve("graph-parted");
        assertEquals(0, CliRun.train(graphConfig, parted, "--stop-after-steps", "7").exitCode());
        final CliRun resumed = CliRun.of("train", graphConfig.toString(), "--resume", parted.toString());
        assertEquals(0, resumed.exitCode(), resumed.err());
        final ComputationGraph a = ModelSerializer.restoreComputationGraph(whole.resolve(RunDirectory.MODEL).toFile(), true);
        final ComputationGraph b = ModelSerializer.restoreComputationGraph(parted.resolve(RunDirectory.MODEL).toFile(), true);
        assertArrayEquals(a.params().toFloatVector(), b.params().toFloatVector());
        assertArrayEquals(a.getUpdater().getStateViewArray().toFloatVector(),
            b.getUpdater().getStateViewArray().toFloatVector());
        assertEquals(STEPS, b.getIterationCount());
    }

    @Test
    void aCheckpointOfAnotherRunShapeIsRefused() throws IOException
    {
        final Path out = dir.resolve("shape");
        assertEquals(0, CliRun.train(config, out, "--stop-after-steps", "3").exitCode());
        final String resume = "--resume " + out + ": ";
        CliRun.of("train", config.toString(), "--resume", out.toString(), "--set", "run.batch_size=8")
            .assertUserError(resume, "checkpoint.zip was written by a run with run.batch_size 16, this run has 8");
        CliRun.of("train", config.toString(), "--resume", out.toString(), "--set", "cluster.devices=3")
            .assertUserError(resume, "with cluster.devices 2, this run has 3");
        CliRun.of("train", config.toString(), "--resume", out.toString(), "--set", "model.hidden=[9]")
            .assertUserError(resume, "with model parameters 75, this run has 84");
        CliRun.of("train", config.toString(), "--resume", out.toString(), "--set", "run.seed=12")
            .assertUserError(resume, "with run.seed 11, this run has 12");
        CliRun.of("train", config.toString(), "--resume", out.toString(), "--set", "optimizer.type=sgd")
            .assertUserError(resume, "written by another configuration: optimizer.type adam in the checkpoint, " +
                "sgd in this run");
    }

    @Test
    void aCheckpointOfAnotherConfigurationIsRefusedNamingTheFirstDifferentKey() throws IOException
    {
        final Path out = dir.resolve("other-config");
        assertEquals(0, CliRun.train(config, out, "--stop-after-steps", "3").exitCode());
        final String resume = "--resume " + out + ": ";
        CliRun.of("train", config.toString(), "--resume", out.toString(), "--set", "optimizer.lr=0.5")
            .assertUserError(resume, "optimizer.lr 0.01 in the checkpoint, 0.5 in this run");
        CliRun.of("train", config.toString(), "--resume", out.toString(), "--set", "model.activation=tanh",
            "--set", "optimizer.lr=0.5").assertUserError(resume, "model.activation relu in the checkpoint, tanh in this run");
        CliRun.of("train", config.toString(), "--resume", out.toString(), "--set", "cluster.scheme=sharded")
            .assertUserError(resume, "cluster.scheme leader in the checkpoint, sharded in this run");
        // What a resume may change: how long, where to, how often to checkpoint and check, where the job meets.
        final CliRun allowed = CliRun.of("train", config.toString(), "--resume", out.toString(), "--out",
            dir.resolve("other-config-resumed").toString(), "--set", "run.epochs=4", "--set", "run.checkpoint_steps=2",
            "--set", "strategy.check_every=2", "--set", "run.eval_each_epoch=false", "--set", "cluster.timeout_s=5");
        assertEquals(0, allowed.exitCode(), allowed.err());
        assertTrue(allowed.out().contains("done: 4 epochs, 20 steps"), allowed.out());
    }

    @Test
    void aResumeWithNoEpochLeftIsRefused()
    {
        // The uninterrupted run's last checkpoint is at the end of epoch 3: nothing is left to train.
        CliRun.of("train", config.toString(), "--resume", uninterrupted.toString(), "--out",
            dir.resolve("nothing-left").toString())
            .assertUserError("--resume " + uninterrupted + ": ", "has finished 3 epoch(s); run.epochs 3 leaves nothing");
        CliRun.of("train", config.toString(), "--resume", uninterrupted.toString(), "--set", "run.epochs=2")
            .assertUserError("--resume " + uninterrupted + ": ", "run.epochs 2 leaves nothing to train");
    }

    @Test
    void missingOrBrokenCheckpointsAreOneLineErrors() throws IOException
    {
        final Path onlyTemporary = Files.createDirectories(dir.resolve("only-tmp"));
        Files.writeString(onlyTemporary.resolve("." + Checkpoint.FILE + ".tmp"), "half a zip");
        CliRun.of("train", config.toString(), "--resume", onlyTemporary.toString())
            .assertUserError("--resume " + onlyTemporary + ": ", "no checkpoint.zip there");

        final Path truncated = Files.createDirectories(dir.resolve("truncated"));
        final byte[] whole = Files.readAllBytes(uninterrupted.resolve(Checkpoint.FILE));
        Files.write(truncated.resolve(Checkpoint.FILE), java.util.Arrays.copyOf(whole, whole.length / 2));
        CliRun.of("train", config.toString(), "--resume", truncated.toString())
            .assertUserError("--resume " + truncated + ": ", "cannot read checkpoint.zip");

        final Path plainModel = Files.createDirectories(dir.resolve("plain-model"));
        Files.copy(uninterrupted.resolve(RunDirectory.MODEL), plainModel.resolve(Checkpoint.FILE));
        CliRun.of("train", config.toString(), "--resume", plainModel.toString())
            .assertUserError("--resume " + plainModel + ": ", "not a checkpoint written by tributary train");
    }

    private static void assertSameRun(final Path expected, final Path actual) throws IOException
    {
        final MultiLayerNetwork a = ModelSerializer.restoreMultiLayerNetwork(expected.resolve(RunDirectory.MODEL).toFile(), true);
        final MultiLayerNetwork b = ModelSerializer.restoreMultiLayerNetwork(actual.resolve(RunDirectory.MODEL).toFile(), true);
        assertArrayEquals(a.params().toFloatVector(), b.params().toFloatVector(), "parameters bit-identical");
        assertArrayEquals(a.getUpdater().getStateViewArray().toFloatVector(),
            b.getUpdater().getStateViewArray().toFloatVector(), "Adam's moments bit-identical");
        assertEquals(STEPS, b.getIterationCount());
        assertEquals(3, b.getEpochCount());
        final JsonNode ma = new ObjectMapper().readTree(expected.resolve(RunDirectory.METRICS).toFile());
        final JsonNode mb = new ObjectMapper().readTree(actual.resolve(RunDirectory.METRICS).toFile());
        for (final String key : new String[] {"param_checksum", "steps", "samples", "epochs", "final_loss",
            "test_accuracy", "epoch_test_accuracy"})
        {
            assertEquals(ma.get(key), mb.get(key), key);
        }
    }
}
