package io.tributary.trainer.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.trainer.cli.Main;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The multi-node accuracy target: `launch --nodes 2 configs/fashion-mlp-2x2.yaml`, only with -Pslow. */
@Tag("slow")
class LaunchFashionSlowTest
{
    @TempDir
    Path out;

    @Test
    void twoNodesOfTwoDevicesReachTheTargetInFiveEpochs() throws IOException
    {
        final Captured io = new Captured();
        final int code = Main.run(new String[] { "launch", "--nodes", "2",
            Path.of("..", "configs", "fashion-mlp-2x2.yaml").toString(), "--out", out.toString() }, io.out, io.err);

        assertEquals(0, code, io.out() + io.err());
        for (int node = 0; node < 2; node++)
        {
            final String done = "[node " + node + "] done: node " + node + " of 2, 5 epochs, ";
            assertTrue(io.outLines().stream().anyMatch(l -> l.startsWith(done)), io.out());
        }
        final JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        final double accuracy = metrics.get("test_accuracy").asDouble();
        assertTrue(accuracy >= 0.87, "test accuracy " + accuracy);
    }
}
