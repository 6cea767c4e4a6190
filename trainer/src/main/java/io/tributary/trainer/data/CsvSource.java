package io.tributary.trainer.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Numeric CSV: one example per line, one column holds the integer class label (the last one by default),
 * every other column is a feature. Without a test file, the last tenth of the rows is held out.
 */
public final class CsvSource implements DataSource
{
    private static final int HOLD_OUT_DIVISOR = 10;
    private final Path path;
    private final Path testPath;
    private final int labelColumn;
    private final boolean header;
    private final int classes;

    /** @param labelColumn zero-based column of the label, or -1 for the last; @param classes 0 to infer */
    public CsvSource(final Path path, final Path testPath, final int labelColumn, final boolean header, final int classes)
    {
        this.path = path;
        this.testPath = testPath;
        this.labelColumn = labelColumn;
        this.header = header;
        this.classes = classes;
    }

    @Override
    public TrainTest load()
    {
        final Rows train = read(path);
        if (testPath == null && train.labels.size() < 2)
        {
            throw new DataException(path + ": " + train.labels.size() + " data row; holding out a test tenth needs at " +
                "least 2 rows (or give data.test_path)");
        }
        final Rows test = testPath != null ? read(testPath) : train.splitTail(Math.max(1, train.labels.size() / HOLD_OUT_DIVISOR));
        if (test.width != train.width)
        {
            throw new DataException(testPath + ": " + test.width + " feature columns, but " + path + " has " + train.width);
        }
        int numClasses = classes;
        if (numClasses == 0)
        {
            numClasses = Math.max(train.maxLabel, test.maxLabel) + 1;
        }
        return new TrainTest(train.toExamples(numClasses, path), test.toExamples(numClasses, testPath != null ? testPath : path));
    }

    private Rows read(final Path file)
    {
        final Rows rows = new Rows();
        try (BufferedReader in = Files.newBufferedReader(file))
        {
            String line;
            int lineNumber = 0;
            while ((line = in.readLine()) != null)
            {
                lineNumber++;
                if ((header && lineNumber == 1) || line.isBlank())
                {
                    continue;
                }
                rows.add(file, lineNumber, line.split(","), labelColumn);
            }
        }
        catch (final IOException ex)
        {
            throw new DataException(file + ": cannot read (" + ex.getMessage() + ")");
        }
        if (rows.labels.isEmpty())
        {
            throw new DataException(file + ": no data rows");
        }
        return rows;
    }

    private static final class Rows
    {
        final List<float[]> features = new ArrayList<>();
        final List<Integer> labels = new ArrayList<>();
        int width = -1;
        int maxLabel;

        void add(final Path file, final int lineNumber, final String[] cells, final int labelColumn)
        {
            final int label = labelColumn < 0 ? cells.length - 1 : labelColumn;
            if (label >= cells.length)
            {
                throw new DataException(file + ":" + lineNumber + ": no label column " + label + " (" + cells.length + " columns)");
            }
            if (width >= 0 && cells.length - 1 != width)
            {
                throw new DataException(file + ":" + lineNumber + ": " + cells.length + " columns, expected " + (width + 1));
            }
            width = cells.length - 1;
            final float[] row = new float[width];
            int f = 0;
            for (int c = 0; c < cells.length; c++)
            {
                final String cell = cells[c].trim();
                try
                {
                    if (c == label)
                    {
                        final int y = Integer.parseInt(cell);
                        if (y < 0)
                        {
                            throw new NumberFormatException();
                        }
                        labels.add(y);
                        maxLabel = Math.max(maxLabel, y);
                    }
                    else
                    {
                        row[f++] = Float.parseFloat(cell);
                    }
                }
                catch (final NumberFormatException ex)
                {
                    throw new DataException(file + ":" + lineNumber + ": column " + (c + 1) + ": expected " +
                        (c == label ? "a class label (integer >= 0)" : "a number") + ", got '" + cell + "'");
                }
            }
            features.add(row);
        }

        Rows splitTail(final int count)
        {
            final Rows tail = new Rows();
            tail.width = width;
            final int from = labels.size() - count;
            tail.features.addAll(features.subList(from, labels.size()));
            tail.labels.addAll(labels.subList(from, labels.size()));
            tail.maxLabel = maxLabel;
            features.subList(from, features.size()).clear();
            labels.subList(from, labels.size()).clear();
            return tail;
        }

        ExampleSet toExamples(final int numClasses, final Path file)
        {
            final float[] x = new float[labels.size() * width];
            final int[] y = new int[labels.size()];
            for (int i = 0; i < y.length; i++)
            {
                System.arraycopy(features.get(i), 0, x, i * width, width);
                y[i] = labels.get(i);
                if (y[i] >= numClasses)
                {
                    throw new DataException(file + ": label " + y[i] + " is not below data.classes = " + numClasses);
                }
            }
            return new MemoryExampleSet(x, y, width, numClasses);
        }
    }
}
