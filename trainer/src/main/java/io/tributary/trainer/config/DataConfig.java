package io.tributary.trainer.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where examples come from: the installed Fashion-MNIST files, a seeded synthetic set, CSV files, or a shard
 * directory written by {@code tributary prepare} ({@code dir}), read memory-mapped with a shuffle window of
 * {@code windowShards} shards. {@code spread} is the synthetic examples' standard deviation around their class centre.
 */
public record DataConfig(
    Kind kind,
    Path dir,
    int size,
    int testSize,
    int features,
    int classes,
    long seed,
    Path path,
    Path testPath,
    int labelColumn,
    boolean header,
    int windowShards,
    double spread)
{
    public enum Kind
    {
        FASHION_MNIST, SYNTHETIC, CSV, SHARDS
    }

    public static final int DEFAULT_WINDOW_SHARDS = 4;
    public static final double DEFAULT_SPREAD = 0.15;

    public static final Path DEFAULT_FASHION_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final String[] FASHION_FILES = { "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz" };

    /** Synthetic examples are generated into one float array: size x features must fit in it. */
    private static final long MAX_FLOATS = Integer.MAX_VALUE - 8;

    static DataConfig read(final ConfigReader r)
    {
        r.allow("type", "dir", "size", "test_size", "features", "classes", "seed", "path", "test_path",
            "label_column", "header", "shuffle_shards", "spread");
        final String type = r.choice("type", "fashion-mnist", "fashion-mnist", "synthetic", "csv", "shards");
        switch (type)
        {
            case "synthetic":
            {
                r.allow("type", "size", "test_size", "features", "classes", "seed", "spread");
                final int features = r.integer("features", 32, 1, 1 << 20);
                final int maxExamples = (int)(MAX_FLOATS / features);
                return new DataConfig(Kind.SYNTHETIC, null,
                    r.integer("size", 4096, 1, maxExamples),
                    r.integer("test_size", 1024, 1, maxExamples),
                    features,
                    r.integer("classes", 4, 2, 1 << 16),
                    r.longValue("seed", 7), null, null, 0, false, 0,
                    r.number("spread", DEFAULT_SPREAD, 0, false, 1000));
            }
            case "csv":
            {
                r.allow("type", "path", "test_path", "classes", "label_column", "header");
                if (!r.has("path"))
                {
                    throw r.error("path", "missing; a csv data source needs the path of its training file");
                }
                final Path path = existingFile(r, "path");
                final Path testPath = r.has("test_path") ? existingFile(r, "test_path") : null;
                return new DataConfig(Kind.CSV, null, 0, 0, 0,
                    r.integer("classes", 0, 0, 1 << 16), 0, path, testPath,
                    r.integer("label_column", -1, -1, 1 << 20), r.bool("header", false), 0, 0);
            }
            case "shards":
            {
                r.allow("type", "dir", "shuffle_shards");
                if (!r.has("dir"))
                {
                    throw r.error("dir", "missing; a shards data source needs the directory tributary prepare wrote");
                }
                final Path dir = Path.of(r.string("dir", null));
                if (!Files.isRegularFile(dir.resolve("index.json")))
                {
                    throw r.error("dir", "no shard index " + dir.resolve("index.json") +
                        "; write the shards with: tributary prepare INPUT --out " + dir);
                }
                return new DataConfig(Kind.SHARDS, dir, 0, 0, 0, 0, 0, null, null, 0, false,
                    r.integer("shuffle_shards", DEFAULT_WINDOW_SHARDS, 1, 1 << 20), 0);
            }
            default:
            {
                r.allow("type", "dir");
                final Path dir = Path.of(r.string("dir", DEFAULT_FASHION_DIR.toString()));
                for (final String file : FASHION_FILES)
                {
                    if (!Files.isRegularFile(dir.resolve(file)))
                    {
                        throw r.error("dir", "no Fashion-MNIST file " + dir.resolve(file) +
                            "; install the data with: sudo apt-get install dataset-fashion-mnist");
                    }
                }
                return new DataConfig(Kind.FASHION_MNIST, dir, 0, 0, 784, 10, 0, null, null, 0, false, 0, 0);
            }
        }
    }

    private static Path existingFile(final ConfigReader r, final String key)
    {
        final Path path = Path.of(r.string(key, null));
        if (!Files.isRegularFile(path))
        {
            throw r.error(key, "expected an existing CSV file, but " + path + " is not a file");
        }
        return path;
    }

    Map<String, Object> toMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        switch (kind)
        {
            case SYNTHETIC:
                map.put("type", "synthetic");
                map.put("size", size);
                map.put("test_size", testSize);
                map.put("features", features);
                map.put("classes", classes);
                map.put("seed", seed);
                if (spread != DEFAULT_SPREAD)
                {
                    map.put("spread", spread);
                }
                break;
            case CSV:
                map.put("type", "csv");
                map.put("path", path.toString());
                if (testPath != null)
                {
                    map.put("test_path", testPath.toString());
                }
                map.put("label_column", labelColumn);
                map.put("header", header);
                map.put("classes", classes);
                break;
            case SHARDS:
                map.put("type", "shards");
                map.put("dir", dir.toString());
                map.put("shuffle_shards", windowShards);
                break;
            default:
                map.put("type", "fashion-mnist");
                map.put("dir", dir.toString());
        }
        return map;
    }
}
