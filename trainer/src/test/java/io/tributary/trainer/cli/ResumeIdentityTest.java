package io.tributary.trainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tributary.trainer.config.ClusterConfig;
import io.tributary.trainer.config.ConfigLoader;
import io.tributary.trainer.config.TrainConfig;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The resume identity compares what decides the steps: the content of the model and training files, not
 * where they are; and every key a resume may change is a real configuration key.
 */
class ResumeIdentityTest
{
    private static final String RUN = "run:\n  epochs: 2\n  batch_size: 8\n  checkpoint_steps: 3\n  timeline_steps: 4\n" +
        "  checkpoint_every: 1\n  eval_each_epoch: false\n  out: somewhere\n";
    private static final String SYNTHETIC = "data:\n  type: synthetic\n  size: 40\n  test_size: 10\n  features: 4\n" +
        "  classes: 3\n";

    @TempDir
    Path dir;

    @Test
    void everyKeyThatMayChangeIsAKeyTheResolvedConfigurationHas() throws IOException
    {
        final Path csv = Files.writeString(dir.resolve("train.csv"), "1,2,0\n3,4,1\n");
        final Path model = writeModelJson(dir.resolve("model.json"), Activation.RELU);
        final List<TrainConfig> configs = List.of(
            parse("model:\n  path: " + model + "\n" + SYNTHETIC + "strategy:\n  check_every: 5\n" +
                "cluster:\n  master_addr: 10.0.0.1\n  master_port: 4000\n  node_rank: 0\n  job: j\n  timeout_s: 9\n" +
                RUN),
            parse("data:\n  type: csv\n  path: " + csv + "\n  test_path: " + csv + "\n" + RUN),
            parse(RUN),
            withGpus(parse(SYNTHETIC + RUN), List.of(0, 1)));
        final YAMLMapper yaml = new YAMLMapper();
        for (final String key : ResumeIdentity.MAY_CHANGE)
        {
            final String[] parts = key.split("\\.");
            boolean written = false;
            for (final TrainConfig config : configs)
            {
                final JsonNode tree = yaml.readTree(ConfigLoader.toYaml(config));
                written |= tree.path(parts[0]).has(parts[1]);
            }
            assertEquals(2, parts.length, key);
            assertTrue(written, key + " is in MAY_CHANGE but ConfigLoader.toYaml writes no such key");
        }
    }

    @Test
    void aModelFileIsComparedByContentNotByPath() throws IOException
    {
        final Path original = writeModelJson(dir.resolve("model.json"), Activation.RELU);
        final String saved = ResumeIdentity.of(parse("model:\n  path: " + original + "\n" + SYNTHETIC + RUN));

        final Path moved = Files.copy(original, Files.createDirectory(dir.resolve("elsewhere")).resolve("m.json"));
        assertNull(ResumeIdentity.firstDifference(saved,
            ResumeIdentity.of(parse("model:\n  path: " + moved + "\n" + SYNTHETIC + RUN))));

        writeModelJson(original, Activation.TANH);
        final String difference = ResumeIdentity.firstDifference(saved,
            ResumeIdentity.of(parse("model:\n  path: " + original + "\n" + SYNTHETIC + RUN)));
        assertTrue(difference != null && difference.startsWith("model.sha256 "), String.valueOf(difference));
    }

    @Test
    void aCsvTrainingFileIsComparedBySizeAndContentNotByPathAndTheTestFileNotAtAll() throws IOException
    {
        final Path train = Files.writeString(dir.resolve("train.csv"), "1,2,0\n3,4,1\n");
        final Path test = Files.writeString(dir.resolve("test.csv"), "1,2,0\n");
        final String saved = ResumeIdentity.of(parse(csv(train, test)));

        final Path moved = Files.copy(train, dir.resolve("moved.csv"));
        final Path otherTest = Files.writeString(dir.resolve("other-test.csv"), "5,6,1\n7,8,0\n");
        assertNull(ResumeIdentity.firstDifference(saved, ResumeIdentity.of(parse(csv(moved, otherTest)))));

        Files.writeString(train, "1,2,0\n3,4,0\n");
        final String sameSize = ResumeIdentity.firstDifference(saved, ResumeIdentity.of(parse(csv(train, test))));
        assertTrue(sameSize != null && sameSize.startsWith("data.sha256 "), String.valueOf(sameSize));

        Files.writeString(train, "1,2,0\n3,4,1\n5,6,1\n");
        final String longer = ResumeIdentity.firstDifference(saved, ResumeIdentity.of(parse(csv(train, test))));
        assertTrue(longer != null && longer.startsWith("data.bytes 12 in the checkpoint, 18 in this run"), longer);
    }

    @Test
    void theTestSetAndTheGpuIdsMayChangeButNotWhatDecidesAStep()
    {
        final TrainConfig run = parse(SYNTHETIC + RUN);
        final String saved = ResumeIdentity.of(withGpus(run, List.of(0, 1)));
        assertNull(ResumeIdentity.firstDifference(saved, ResumeIdentity.of(withGpus(
            parse(SYNTHETIC.replace("test_size: 10", "test_size: 30") + RUN), List.of(2, 3)))));
        assertEquals("data.size 40 in the checkpoint, 41 in this run", ResumeIdentity.firstDifference(saved,
            ResumeIdentity.of(withGpus(parse(SYNTHETIC.replace("size: 40", "size: 41") + RUN), List.of(0, 1)))));
    }

    @Test
    void anIdentitySavedWithKeysThatMayNowChangeStillMatches()
    {
        final TrainConfig config = parse(SYNTHETIC + RUN);
        // What a checkpoint stored before the test set could change: the identity with data.test_size in it.
        final String saved = ConfigLoader.toYaml(config);
        assertNull(ResumeIdentity.firstDifference(saved, ResumeIdentity.of(parse(
            SYNTHETIC.replace("test_size: 10", "test_size: 30") + RUN.replace("epochs: 2", "epochs: 5")))));
    }

    private String csv(final Path train, final Path test)
    {
        return "data:\n  type: csv\n  path: " + train + "\n  test_path: " + test + "\n  classes: 2\n" + RUN;
    }

    private static TrainConfig parse(final String yaml)
    {
        return ConfigLoader.parse("test.yaml", yaml, List.of());
    }

    private static TrainConfig withGpus(final TrainConfig config, final List<Integer> gpus)
    {
        final ClusterConfig c = config.cluster();
        return new TrainConfig(config.name(), config.model(), config.data(), config.optimizer(), config.strategy(),
            new ClusterConfig("cuda", gpus.size(), c.nodes(), gpus, c.scheme(), c.masterAddr(), c.masterPort(),
                c.nodeRank(), c.job(), c.token(), c.timeoutSeconds()), config.run());
    }

    private static Path writeModelJson(final Path file, final Activation activation) throws IOException
    {
        final String json = new NeuralNetConfiguration.Builder().seed(1).list()
            .layer(new DenseLayer.Builder().nIn(4).nOut(5).activation(activation).build())
            .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(3)
                .activation(Activation.SOFTMAX).build())
            .build().toJson();
        if (json.isEmpty())
        {
            fail("no configuration JSON");
        }
        return Files.writeString(file, json);
    }
}
