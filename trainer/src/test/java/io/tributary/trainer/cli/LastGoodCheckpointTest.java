package io.tributary.trainer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The lost-node line names the newest checkpoint of this run, on every node, never an earlier run's file. */
class LastGoodCheckpointTest
{
    private static final Instant START = Instant.parse("2026-11-26T03:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aNodeThatResumedNamesTheSharedCheckpointOnceNodeZeroWroteANewerOne() throws IOException
    {
        // R2-2 (a): node 1 resumed from runs/k at step 20; node 0 has since written runs/new at step 30.
        final Path resumed = checkpoint("k", 20, START.minusSeconds(600));
        final Path shared = checkpoint("new", 30, START.plusSeconds(60));
        assertEquals(shared, LastGoodCheckpoint.choose(null, shared, resumed, 20, START));
    }

    @Test
    void aSharedFileBehindTheResumedStepOrFromAnEarlierRunIsNotNamed() throws IOException
    {
        final Path resumed = checkpoint("k", 20, START.minusSeconds(600));
        final Path behind = checkpoint("behind", 10, START.plusSeconds(60));
        assertEquals(resumed, LastGoodCheckpoint.choose(null, behind, resumed, 20, START));
        // R2-2 (b): a fresh run into a directory holding an earlier run's checkpoint, lost before its first write.
        final Path earlierRun = checkpoint("earlier", 500, START.minusSeconds(1));
        assertNull(LastGoodCheckpoint.choose(null, earlierRun, null, 0, START));
        assertNull(LastGoodCheckpoint.choose(null, dir.resolve("none/checkpoint.zip"), null, 0, START));
    }

    @Test
    void resumingInPlaceNamesTheResumedFileUntilItIsOverwritten() throws IOException
    {
        final Path same = checkpoint("in-place", 20, START.minusSeconds(600));
        assertEquals(same, LastGoodCheckpoint.choose(null, same, same, 20, START));
        Files.setLastModifiedTime(same, FileTime.from(START.plusSeconds(5)));
        assertEquals(same, LastGoodCheckpoint.choose(null, same, same, 20, START));
    }

    @Test
    void nodeZeroNamesWhatItWrote() throws IOException
    {
        final Path written = checkpoint("written", 40, START.plusSeconds(90));
        final Path resumed = checkpoint("k", 20, START.minusSeconds(600));
        assertEquals(written, LastGoodCheckpoint.choose(written, null, resumed, 20, START));
        assertEquals(40, LastGoodCheckpoint.globalStep(written));
    }

    private Path checkpoint(final String run, final long globalStep, final Instant modified) throws IOException
    {
        final Path file = Files.createDirectories(dir.resolve(run)).resolve(Checkpoint.FILE);
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out))
        {
            zip.putNextEntry(new ZipEntry(Checkpoint.ENTRY));
            zip.write(("{\"format\": 1, \"global_step\": " + globalStep + "}").getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }
}
