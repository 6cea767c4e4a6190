package io.tributary.trainer.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataTest
{
    @TempDir
    Path dir;

    @Test
    void idxImagesAreScaledToUnitRange() throws IOException
    {
        final Path file = images("ok.gz", 0x803, 2, 2, 2, new byte[]{ 0, (byte)255, 51, 102, 1, 2, 3, 4 });
        final int[] dims = new int[3];
        final float[] x = IdxReader.readImages(file, dims);
        assertArrayEquals(new int[]{ 2, 2, 2 }, dims);
        assertEquals(0f, x[0]);
        assertEquals(1f, x[1]);
        assertEquals(0.2f, x[2], 1e-7);
        assertEquals(0.4f, x[3], 1e-7);
    }

    @Test
    void badMagicTruncationAndTrailingBytesAreErrors() throws IOException
    {
        final int[] dims = new int[3];
        final Path wrongMagic = images("magic.gz", 0x801, 1, 2, 2, new byte[4]);
        assertTrue(assertThrows(DataException.class, () -> IdxReader.readImages(wrongMagic, dims)).getMessage()
            .contains("not an IDX image file (magic 0x00000801, expected 0x00000803)"));
        final Path truncated = images("short.gz", 0x803, 3, 2, 2, new byte[5]);
        assertTrue(assertThrows(DataException.class, () -> IdxReader.readImages(truncated, dims)).getMessage()
            .endsWith("truncated (ends before the size its IDX header declares)"));
        final Path trailing = images("long.gz", 0x803, 1, 2, 2, new byte[5]);
        assertTrue(assertThrows(DataException.class, () -> IdxReader.readImages(trailing, dims)).getMessage()
            .endsWith("more bytes than the IDX header declares"));
        final Path notGzip = Files.write(dir.resolve("plain.gz"), new byte[]{ 0, 0, 8, 3 });
        assertTrue(assertThrows(DataException.class, () -> IdxReader.readImages(notGzip, dims)).getMessage()
            .contains("corrupt gzip stream"));
        final byte[] whole = Files.readAllBytes(images("cut.gz", 0x803, 4, 8, 8, new byte[256]));
        final Path cutGzip = Files.write(dir.resolve("cut2.gz"), Arrays.copyOf(whole, whole.length / 2));
        final String message = assertThrows(DataException.class, () -> IdxReader.readImages(cutGzip, dims)).getMessage();
        assertTrue(message.startsWith(cutGzip.toString()), message);
    }

    @Test
    void labelsAreCheckedAgainstTheClassCount() throws IOException
    {
        final Path file = gzip("labels.gz", header(0x801, 3), new byte[]{ 0, 9, 10 });
        assertTrue(assertThrows(DataException.class, () -> IdxReader.readLabels(file, 10)).getMessage()
            .contains("label 10 at index 2 is not below 10"));
    }

    @Test
    void shuffleIsAPermutationFixedBySeedAndEpoch()
    {
        final int[] a = EpochShuffle.order(1000, 42, 3);
        assertArrayEquals(a, EpochShuffle.order(1000, 42, 3));
        assertFalse(Arrays.equals(a, EpochShuffle.order(1000, 42, 4)));
        assertFalse(Arrays.equals(a, EpochShuffle.order(1000, 43, 3)));
        final int[] sorted = a.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++)
        {
            assertEquals(i, sorted[i]);
        }
    }

    @Test
    void batchSplitSizesDifferByAtMostOneAndCoverTheBatch()
    {
        for (int size = 1; size <= 40; size++)
        {
            for (int parts = 1; parts <= 7; parts++)
            {
                int next = 0;
                for (int p = 0; p < parts; p++)
                {
                    assertEquals(next, BatchSplit.sliceStart(size, parts, p));
                    final int slice = BatchSplit.sliceSize(size, parts, p);
                    assertTrue(slice == size / parts || slice == size / parts + 1);
                    next += slice;
                }
                assertEquals(size, next);
            }
        }
        assertEquals(4, BatchSplit.sliceSize(11, 3, 0));
        assertEquals(4, BatchSplit.sliceSize(11, 3, 1));
        assertEquals(3, BatchSplit.sliceSize(11, 3, 2));
    }

    @Test
    void csvReadsLabelColumnHeaderAndHoldsOutATenth() throws IOException
    {
        final StringBuilder csv = new StringBuilder("label,a,b\n");
        for (int i = 0; i < 20; i++)
        {
            csv.append(i % 3).append(',').append(i).append(',').append(i * 0.5).append('\n');
        }
        final Path file = Files.writeString(dir.resolve("d.csv"), csv);
        final TrainTest data = new CsvSource(file, null, 0, true, 0).load();
        assertEquals(18, data.train().size());
        assertEquals(2, data.test().size());
        assertEquals(2, data.train().numFeatures());
        assertEquals(3, data.train().numClasses());
        assertEquals(2, data.train().label(5));
        assertEquals(5f, data.train().feature(5, 0));
        assertEquals(2.5f, data.train().feature(5, 1));

        final Path bad = Files.writeString(dir.resolve("bad.csv"), "1,2,0\n1,x,1\n");
        assertEquals(bad + ":2: column 2: expected a number, got 'x'",
            assertThrows(DataException.class, () -> new CsvSource(bad, null, -1, false, 0).load()).getMessage());
    }

    @Test
    void copyRowsWritesFeaturesAndOneHotLabelsInOrder()
    {
        final ExampleSet set = new MemoryExampleSet(new float[]{ 1, 2, 3, 4, 5, 6 }, new int[]{ 0, 2, 1 }, 2, 3);
        final FloatBuffer x = FloatBuffer.allocate(4);
        final FloatBuffer y = FloatBuffer.allocate(6);
        set.copyRows(new int[]{ 2, 0, 1 }, 1, 2, x, y);
        assertArrayEquals(new float[]{ 1, 2, 3, 4 }, x.array());
        assertArrayEquals(new float[]{ 1, 0, 0, 0, 0, 1 }, y.array());
    }

    @Test
    void syntheticDataIsReproducible()
    {
        final TrainTest a = new SyntheticSource(50, 10, 4, 3, 9).load();
        final TrainTest b = new SyntheticSource(50, 10, 4, 3, 9).load();
        for (int i = 0; i < 50; i++)
        {
            assertEquals(a.train().label(i), b.train().label(i));
            assertEquals(a.train().feature(i, 3), b.train().feature(i, 3));
        }
    }

    @Test
    void spreadScalesTheScatterAroundTheSameCentres()
    {
        final ExampleSet tight = new SyntheticSource(2000, 1, 4, 2, 9, 0.1).load().train();
        final ExampleSet wide = new SyntheticSource(2000, 1, 4, 2, 9, 1.0).load().train();
        double tightSquares = 0;
        double wideSquares = 0;
        for (int i = 0; i < 2000; i++)
        {
            assertEquals(tight.label(i), wide.label(i), "the same seed draws the same labels");
            final double tightOffset = tight.feature(i, 0) - tight.feature(0, 0);
            final double wideOffset = wide.feature(i, 0) - wide.feature(0, 0);
            if (tight.label(i) == tight.label(0))
            {
                tightSquares += tightOffset * tightOffset;
                wideSquares += wideOffset * wideOffset;
            }
        }
        // Same Gaussian draws scaled by 10: the squared offsets scale by 100, up to float rounding.
        assertEquals(100, wideSquares / tightSquares, 1e-3);
    }

    private Path images(final String name, final int magic, final int count, final int rows, final int cols,
        final byte[] pixels) throws IOException
    {
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        final DataOutputStream out = new DataOutputStream(head);
        out.writeInt(magic);
        out.writeInt(count);
        out.writeInt(rows);
        out.writeInt(cols);
        return gzip(name, head.toByteArray(), pixels);
    }

    private static byte[] header(final int magic, final int count) throws IOException
    {
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        final DataOutputStream out = new DataOutputStream(head);
        out.writeInt(magic);
        out.writeInt(count);
        return head.toByteArray();
    }

    private Path gzip(final String name, final byte[] head, final byte[] body) throws IOException
    {
        final Path file = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file)))
        {
            out.write(head);
            out.write(body);
        }
        return file;
    }
}
