package io.tributary.trainer.cli;

import io.tributary.trainer.data.CsvSource;
import io.tributary.trainer.data.DataException;
import io.tributary.trainer.data.FashionMnistSource;
import io.tributary.trainer.data.ShardIndex;
import io.tributary.trainer.data.ShardPreparer;
import io.tributary.trainer.data.TrainTest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code tributary prepare INPUT --out DIR [--shard-mb 64]}: writes a shard directory that {@code data.type:
 * shards} trains from without loading it into the heap. INPUT is a directory of gzipped IDX files (the
 * Fashion-MNIST layout), a CSV file, or {@code synthetic:N} (N training examples generated straight into shards).
 */
@Command(name = "prepare", mixinStandardHelpOptions = true,
    description = "Convert IDX files, a CSV file or a synthetic set into shard files for data.type: shards.",
    footer = { "", "Examples: tributary prepare /usr/share/datasets/fashion-mnist --out data/fashion",
        "          tributary prepare synthetic:2700000 --features 784 --classes 10 --out data/big --shard-mb 64" })
final class PrepareCommand implements Callable<Integer>
{
    private static final Pattern SYNTHETIC = Pattern.compile("synthetic:(\\d{1,12})");

    private final PrintStream stdout;

    @Parameters(index = "0", paramLabel = "INPUT", description = "an IDX directory, a CSV file, or synthetic:N")
    private String input;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the shard directory to write")
    private Path out;

    @Option(names = "--shard-mb", paramLabel = "MB", defaultValue = "64", description = "at most MB MiB per shard file")
    private int shardMb;

    @Option(names = "--features", defaultValue = "784", description = "synthetic: features per example")
    private int features;

    @Option(names = "--classes", defaultValue = "10", description = "synthetic: classes; CSV: 0 = from the labels")
    private int classes;

    @Option(names = "--test-size", defaultValue = "10000", description = "synthetic: test examples")
    private long testSize;

    @Option(names = "--seed", defaultValue = "7", description = "synthetic: the generator's seed")
    private long seed;

    @Option(names = "--spread", defaultValue = "0.15",
        description = "synthetic: standard deviation of the features around their class centre")
    private double spread;

    @Option(names = "--test-csv", paramLabel = "FILE", description = "CSV: the test file (else every 10th row)")
    private Path testCsv;

    @Option(names = "--label-column", defaultValue = "-1", description = "CSV: the label's column (-1: the last)")
    private int labelColumn;

    @Option(names = "--header", description = "CSV: the first line is a header")
    private boolean header;

    PrepareCommand(final PrintStream stdout)
    {
        this.stdout = stdout;
    }

    @Override
    public Integer call() throws Exception
    {
        if (shardMb < 1 || shardMb > 2047)
        {
            throw new DataException("--shard-mb: expected 1..2047 MiB, got " + shardMb);
        }
        if (Files.exists(out.resolve(ShardIndex.FILE)))
        {
            throw new DataException(out + ": already holds a shard index; choose another --out or remove it");
        }
        final long start = System.nanoTime();
        final ShardIndex index;
        final Matcher synthetic = SYNTHETIC.matcher(input);
        if (synthetic.matches())
        {
            final long size = Long.parseLong(synthetic.group(1));
            if (size < 1 || testSize < 1 || features < 1 || classes < 2 || !(spread >= 0) || spread > 1000)
            {
                throw new DataException("synthetic: expected N >= 1, --test-size >= 1, --features >= 1, " +
                    "--classes >= 2 and --spread in [0, 1000]");
            }
            index = new ShardPreparer(out, shardMb, features, classes).synthetic(size, testSize, seed, spread);
        }
        else
        {
            final Path path = Path.of(input);
            final TrainTest data;
            if (Files.isDirectory(path))
            {
                data = new FashionMnistSource(path).load();
            }
            else if (Files.isRegularFile(path))
            {
                data = new CsvSource(path, testCsv, labelColumn, header, classes).load();
            }
            else
            {
                throw new DataException(input + ": no such file or directory; expected an IDX directory, a CSV " +
                    "file or synthetic:N");
            }
            index = new ShardPreparer(out, shardMb, data.train().numFeatures(), data.train().numClasses()).copy(data);
        }
        final long records = index.train().stream().mapToLong(ShardIndex.Shard::records).sum();
        final long testRecords = index.test().stream().mapToLong(ShardIndex.Shard::records).sum();
        stdout.printf("prepared %s: %d train examples in %d shard(s), %d test in %d, %d features, %d classes, " +
            "%.1f GB, %.1f s%n", out, records, index.train().size(), testRecords, index.test().size(),
            index.features(), index.classes(), (records + testRecords) * (double)index.recordBytes() / 1e9,
            (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
