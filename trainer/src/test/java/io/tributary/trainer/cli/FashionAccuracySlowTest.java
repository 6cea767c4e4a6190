package io.tributary.trainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The accuracy target, through the real CLI: about a minute here, so only with -Pslow. */
@Tag("slow")
class FashionAccuracySlowTest
{
    @TempDir
    Path out;

    @Test
    void fashionMlpReachesTheTargetInFiveEpochs() throws IOException
    {
        final CliRun run = CliRun.of("train", Path.of("..", "configs", "fashion-mlp.yaml").toString(),
            "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        final double accuracy = new ObjectMapper().readTree(out.resolve(RunDirectory.METRICS).toFile())
            .get("test_accuracy").asDouble();
        assertTrue(accuracy >= 0.87, "test accuracy " + accuracy);
    }
}
