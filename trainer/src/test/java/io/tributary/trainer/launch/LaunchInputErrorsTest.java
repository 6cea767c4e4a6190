package io.tributary.trainer.launch;

import io.tributary.trainer.cli.FreePorts;
import io.tributary.trainer.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad launch input is one stderr line and exit code 2, found before any node process starts. */
class LaunchInputErrorsTest
{
    @TempDir
    Path dir;

    private Path config(final String scheme) throws IOException
    {
        return Files.writeString(dir.resolve("small.yaml"), String.join("\n",
            "model:", "  builtin: mlp", "  hidden: [8]",
            "data:", "  type: synthetic", "  size: 64", "  test_size: 16", "  features: 4", "  classes: 2",
            "cluster:", "  devices: 3", "  scheme: " + scheme,
            "run:", "  epochs: 1", "  batch_size: 16", "  out: " + dir.resolve("runs"), ""));
    }

    /** Refused with one stderr line that starts with {@code line}. */
    private void assertRefused(final String line, final String... args)
    {
        final Captured io = new Captured();
        final int code = Main.run(args, io.out, io.err);

        assertEquals(2, code, io.err());
        assertEquals(1, io.errLines().size(), io.err());
        assertTrue(io.errLines().get(0).startsWith(line), io.errLines().get(0));
        assertFalse(io.out().contains("started"), io.out());
        assertEquals(0, StandIns.liveDescendants().size());
        assertFalse(Files.exists(dir.resolve("runs")), "a run directory was made for a refused launch");
    }

    @Test
    void nodeCountOutOfRange() throws IOException
    {
        final String config = config("leader").toString();
        assertRefused("tributary: --nodes 0: expected 1..256 node processes", "launch", "--nodes", "0", config);
        assertRefused("tributary: --nodes 257: expected 1..256 node processes", "launch", "--nodes", "257", config);
    }

    @Test
    void aNodeCountSetTwiceMustAgree() throws IOException
    {
        assertRefused("tributary: --set cluster.nodes=3: cluster.nodes: conflicts with --nodes 2 (leave it out: the " +
            "launcher sets it)", "launch", "--nodes", "2", config("leader").toString(), "--set", "cluster.nodes=3");
    }

    @Test
    void configurationErrorsReadAsForTrain() throws IOException
    {
        assertRefused("tributary: --set run.epocs=1: run.epocs: unknown key (did you mean 'epochs'?)",
            "launch", "--nodes", "2", config("leader").toString(), "--set", "run.epocs=1");
    }

    @Test
    void aBusyRendezvousPortIsNamed() throws IOException
    {
        final int port = FreePorts.findRange(1);
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(port)))
        {
            assertRefused("tributary: --port " + port + ": UDP port " + port + " is in use or not a port",
                "launch", "--nodes", "2", "--port", Integer.toString(port), config("leader").toString());
        }
    }

    @Test
    void theShardedSchemeNeedsAPortPerDevice() throws IOException
    {
        final int first = FreePorts.findRange(3);
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(first + 2)))
        {
            assertRefused("tributary: --port " + first + ": UDP ports " + first + ".." + (first + 2) +
                " (one per device under the sharded scheme) are not all free",
                "launch", "--nodes", "2", "--port", Integer.toString(first), config("sharded").toString());
        }
    }

    @Test
    void aBadResumeDirectoryIsRefusedBeforeAnythingStarts() throws IOException
    {
        final String config = config("leader").toString();
        final Path typo = dir.resolve("runs/typo");
        assertRefused("tributary: --resume " + typo + ": no checkpoint.zip there", "launch", "--nodes", "2", config,
            "--resume", typo.toString());
        assertFalse(Files.exists(typo), "the --resume directory was made");
    }

    @Test
    void aCheckpointOfAnotherJobShapeIsRefusedBeforeAnythingStarts() throws IOException
    {
        // The launcher reads only the checkpoint's small JSON entry: the model is the nodes' to restore.
        final Path other = Files.createDirectories(dir.resolve("other"));
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(other.resolve("checkpoint.zip"))))
        {
            zip.putNextEntry(new ZipEntry("tributary-checkpoint.json"));
            zip.write(("{\"format\": 1, \"epoch\": 0, \"step\": 2, \"global_step\": 2, \"batch_size\": 16, " +
                "\"seed\": 42, \"nodes\": 3, \"devices\": 3}").getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        assertRefused("tributary: --resume " + other + ": checkpoint.zip was written by a run with cluster.nodes 3, " +
            "this run has 2", "launch", "--nodes", "2", config("leader").toString(), "--resume", other.toString(),
            "--out", dir.resolve("runs/resumed").toString());
    }

    @Test
    void freeRangesAreFree() throws IOException
    {
        final int first = FreePorts.findRange(4);
        assertTrue(FreePorts.isFree(first, 4));
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(first + 3)))
        {
            assertFalse(FreePorts.isFree(first, 4));
            assertTrue(FreePorts.isFree(first, 3));
        }
        assertFalse(FreePorts.isFree(65535, 2), "past the last port");
        assertFalse(FreePorts.isFree(0, 1));
    }
}
