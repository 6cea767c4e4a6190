package io.tributary.trainer.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the gzipped IDX files of MNIST-style datasets. The magic number, the dimensions and the exact length
 * are checked: a truncated, oversized or corrupt file is a {@link DataException} naming the file.
 */
public final class IdxReader
{
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;
    private static final int MAX_EXAMPLES = 10_000_000;
    private static final int MAX_SIDE = 4096;
    private static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    private IdxReader()
    {
    }

    /** Images as rows of {@code rows*cols} floats scaled from [0, 255] to [0, 1]; returns [count, rows, cols] in dims. */
    public static float[] readImages(final Path file, final int[] dims)
    {
        try (DataInputStream in = open(file))
        {
            checkMagic(file, in.readInt(), IMAGES_MAGIC);
            final int count = in.readInt();
            final int rows = in.readInt();
            final int cols = in.readInt();
            final long size = (long)count * rows * cols;
            if (count <= 0 || count > MAX_EXAMPLES || rows <= 0 || rows > MAX_SIDE || cols <= 0 || cols > MAX_SIDE ||
                size > MAX_ARRAY_BYTES)
            {
                throw new DataException(file + ": implausible IDX image header (" + count + " x " + rows + " x " + cols + ")");
            }
            final byte[] pixels = readExactly(in, (int)size);
            expectEnd(file, in);
            final float[] features = new float[pixels.length];
            for (int i = 0; i < pixels.length; i++)
            {
                features[i] = (pixels[i] & 0xFF) / 255f;
            }
            dims[0] = count;
            dims[1] = rows;
            dims[2] = cols;
            return features;
        }
        catch (final IOException ex)
        {
            throw failure(file, ex);
        }
    }

    public static int[] readLabels(final Path file, final int numClasses)
    {
        try (DataInputStream in = open(file))
        {
            checkMagic(file, in.readInt(), LABELS_MAGIC);
            final int count = in.readInt();
            if (count <= 0 || count > MAX_EXAMPLES)
            {
                throw new DataException(file + ": implausible IDX label count " + count);
            }
            final byte[] raw = readExactly(in, count);
            expectEnd(file, in);
            final int[] labels = new int[count];
            for (int i = 0; i < count; i++)
            {
                labels[i] = raw[i] & 0xFF;
                if (labels[i] >= numClasses)
                {
                    throw new DataException(file + ": label " + labels[i] + " at index " + i + " is not below " + numClasses);
                }
            }
            return labels;
        }
        catch (final IOException ex)
        {
            throw failure(file, ex);
        }
    }

    private static DataInputStream open(final Path file) throws IOException
    {
        final InputStream raw = Files.newInputStream(file);
        try
        {
            return new DataInputStream(new GZIPInputStream(raw, 1 << 16));
        }
        catch (final IOException ex)
        {
            raw.close();
            throw ex;
        }
    }

    /**
     * Reads as the bytes arrive rather than allocating what a (possibly corrupt) header claims up front: a
     * short file fails as truncated having held only what it really had.
     */
    private static byte[] readExactly(final InputStream in, final int length) throws IOException
    {
        final byte[] bytes = in.readNBytes(length);
        if (bytes.length != length)
        {
            throw new EOFException();
        }
        return bytes;
    }

    private static void checkMagic(final Path file, final int magic, final int expected)
    {
        if (magic != expected)
        {
            throw new DataException(String.format("%s: not an IDX %s file (magic 0x%08x, expected 0x%08x)", file,
                expected == IMAGES_MAGIC ? "image" : "label", magic, expected));
        }
    }

    private static void expectEnd(final Path file, final InputStream in) throws IOException
    {
        if (in.read() != -1)
        {
            throw new DataException(file + ": more bytes than the IDX header declares");
        }
    }

    private static DataException failure(final Path file, final IOException ex)
    {
        if (ex instanceof NoSuchFileException)
        {
            return new DataException(file + ": no such file; install the data with: sudo apt-get install dataset-fashion-mnist");
        }
        if (ex instanceof EOFException)
        {
            return new DataException(file + ": truncated (ends before the size its IDX header declares)");
        }
        if (ex instanceof ZipException)
        {
            return new DataException(file + ": corrupt gzip stream (" + ex.getMessage() + ")");
        }
        return new DataException(file + ": cannot read (" + ex.getMessage() + ")");
    }
}
