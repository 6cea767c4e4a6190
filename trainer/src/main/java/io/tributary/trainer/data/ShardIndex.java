package io.tributary.trainer.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@value #FILE} of a shard directory ({@code tributary prepare}): the record shape, and per split ({@code train},
 * {@code test}) its shard files in order, each with its record count and CRC-32C. A record is a little-endian
 * int32 label followed by {@code features} little-endian float32 values; a shard file is its records back to
 * back, nothing else, so a record's place is a multiplication.
 */
public record ShardIndex(int features, int classes, List<Shard> train, List<Shard> test)
{
    public static final String FILE = "index.json";
    public static final String FORMAT = "tributary-shards-1";

    /** One shard file of a split: its name in the directory, its records, and the CRC-32C of its bytes. */
    public record Shard(String file, int records, long crc32c)
    {
    }

    public ShardIndex
    {
        train = List.copyOf(train);
        test = List.copyOf(test);
    }

    /** Bytes per record: the label and the features. */
    public int recordBytes()
    {
        return Integer.BYTES + features * Float.BYTES;
    }

    public void write(final Path dir) throws IOException
    {
        final ObjectMapper json = new ObjectMapper();
        final ObjectNode root = json.createObjectNode();
        root.put("format", FORMAT);
        root.put("features", features);
        root.put("classes", classes);
        putSplit(root.putArray("train"), train);
        putSplit(root.putArray("test"), test);
        final Path tmp = dir.resolve(FILE + ".tmp");
        json.enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), root);
        Files.move(tmp, dir.resolve(FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static void putSplit(final ArrayNode array, final List<Shard> shards)
    {
        for (final Shard shard : shards)
        {
            array.addObject().put("file", shard.file()).put("records", shard.records())
                .put("crc32c", String.format("%08x", shard.crc32c()));
        }
    }

    /** Reads {@code dir/index.json}; a missing or malformed index is a {@link DataException} naming it. */
    public static ShardIndex read(final Path dir)
    {
        final Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file))
        {
            throw new DataException(file + ": no shard index; write the shards with: tributary prepare INPUT --out " +
                dir);
        }
        try
        {
            final JsonNode root = new ObjectMapper().readTree(file.toFile());
            if (!FORMAT.equals(root.path("format").asText()))
            {
                throw new DataException(file + ": format " + root.path("format") + ", expected \"" + FORMAT + "\"");
            }
            final int features = root.path("features").asInt();
            final int classes = root.path("classes").asInt();
            if (features < 1 || classes < 2)
            {
                throw new DataException(file + ": features " + features + " and classes " + classes +
                    ": expected >= 1 and >= 2");
            }
            return new ShardIndex(features, classes, split(file, root, "train"), split(file, root, "test"));
        }
        catch (final IOException ex)
        {
            throw new DataException(file + ": unreadable shard index: " + ex.getMessage().split("\n")[0]);
        }
    }

    private static List<Shard> split(final Path file, final JsonNode root, final String name)
    {
        final List<Shard> shards = new ArrayList<>();
        for (final JsonNode shard : root.path(name))
        {
            final String shardFile = shard.path("file").asText();
            final int records = shard.path("records").asInt(-1);
            if (shardFile.isEmpty() || shardFile.contains("/") || records < 1)
            {
                throw new DataException(file + ": " + name + " shard " + shards.size() + " has no file name or " +
                    "no records: " + shard);
            }
            shards.add(new Shard(shardFile, records, Long.parseLong(shard.path("crc32c").asText("0"), 16)));
        }
        if (shards.isEmpty())
        {
            throw new DataException(file + ": no " + name + " shards");
        }
        return shards;
    }
}
