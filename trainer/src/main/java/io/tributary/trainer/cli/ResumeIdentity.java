package io.tributary.trainer.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tributary.trainer.config.ConfigLoader;
import io.tributary.trainer.config.DataConfig;
import io.tributary.trainer.config.ModelConfig;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.data.ShardIndex;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What a resumed run must share with the run that wrote its checkpoint: the resolved configuration (as
 * {@link ConfigLoader#toYaml} writes it) without the keys a resume may change, plus the content of the files
 * it names that decide steps: {@code model.sha256} for a model file, {@code data.bytes} and {@code data.sha256}
 * for a CSV training file, {@code data.shards_crc32c} (a CRC-32C over the index's training shards: names,
 * record counts and checksums) for a shard directory. The keys a resume may change say how long to train, where to write, how often to
 * checkpoint or check, where the job meets, which GPUs it uses, where its files are (their content is
 * compared instead) and what it tests on; none of them changes a step, except {@code run.eval_every_steps} under
 * local-sgd, whose evaluations average the nodes first (a resume with another value is a valid run, not the same one).
 */
final class ResumeIdentity
{
    /** Section and key of every configuration key a resume may change. */
    static final List<String> MAY_CHANGE = List.of(
        "model.path", "data.dir", "data.path", "data.test_path", "data.test_size",
        "cluster.gpus", "cluster.master_addr", "cluster.master_port", "cluster.node_rank", "cluster.job",
        "cluster.timeout_s", "cluster.mtu", "strategy.check_every",
        "run.epochs", "run.out", "run.checkpoint_every", "run.checkpoint_steps", "run.timeline_steps",
        "run.eval_each_epoch", "run.max_steps", "run.eval_every_steps");

    private static final YAMLMapper YAML = new YAMLMapper();

    private ResumeIdentity()
    {
    }

    /**
     * The configuration as YAML text, without the keys a resume may change, with the content hashes of its
     * model and training files. Reads those files whole: compute it once per run.
     *
     * @throws IllegalStateException naming the file when one cannot be read
     */
    static String of(final TrainConfig config)
    {
        final ObjectNode tree = withoutKeysThatMayChange(tree(ConfigLoader.toYaml(config)));
        if (config.model().kind() == ModelConfig.Kind.FILE)
        {
            section(tree, "model").put("sha256", sha256(config.model().path()));
        }
        if (config.data().kind() == DataConfig.Kind.CSV)
        {
            final ObjectNode data = section(tree, "data");
            data.put("bytes", size(config.data().path()));
            data.put("sha256", sha256(config.data().path()));
        }
        if (config.data().kind() == DataConfig.Kind.SHARDS)
        {
            final java.util.zip.CRC32C crcs = new java.util.zip.CRC32C();
            for (final ShardIndex.Shard shard : ShardIndex.read(config.data().dir()).train())
            {
                crcs.update(String.format("%s %d %08x;", shard.file(), shard.records(), shard.crc32c()).getBytes(
                    java.nio.charset.StandardCharsets.UTF_8));
            }
            section(tree, "data").put("shards_crc32c", String.format("%08x", crcs.getValue()));
        }
        try
        {
            return YAML.writeValueAsString(tree);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("cannot write the resume identity", ex);
        }
    }

    /**
     * @return null when both identities agree, else "KEY.PATH: SAVED in the checkpoint, CURRENT in this run"
     *         for the first key (in configuration order) that differs
     */
    static String firstDifference(final String saved, final String current)
    {
        return difference("", withoutKeysThatMayChange(tree(saved)), tree(current));
    }

    /** Also applied to a saved identity: one written when a key was not yet allowed to change still matches. */
    private static ObjectNode withoutKeysThatMayChange(final ObjectNode tree)
    {
        for (final String key : MAY_CHANGE)
        {
            final int dot = key.indexOf('.');
            final JsonNode section = tree.get(key.substring(0, dot));
            if (section instanceof ObjectNode)
            {
                ((ObjectNode)section).remove(key.substring(dot + 1));
            }
        }
        return tree;
    }

    private static ObjectNode section(final ObjectNode tree, final String name)
    {
        final JsonNode section = tree.get(name);
        return section instanceof ObjectNode ? (ObjectNode)section : tree.putObject(name);
    }

    private static long size(final Path file)
    {
        try
        {
            return Files.size(file);
        }
        catch (final IOException ex)
        {
            throw unreadable(file, ex);
        }
    }

    private static String sha256(final Path file)
    {
        final MessageDigest digest;
        try
        {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("this JVM has no SHA-256", ex);
        }
        try (InputStream in = Files.newInputStream(file))
        {
            final byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer))
            {
                digest.update(buffer, 0, n);
            }
        }
        catch (final IOException ex)
        {
            throw unreadable(file, ex);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static IllegalStateException unreadable(final Path file, final IOException ex)
    {
        return new IllegalStateException("cannot read " + file + " (" + ex.getClass().getSimpleName() + ": " +
            ex.getMessage() + ")");
    }

    private static String difference(final String path, final JsonNode saved, final JsonNode current)
    {
        if (saved.isObject() && current.isObject())
        {
            for (final Iterator<Map.Entry<String, JsonNode>> it = saved.fields(); it.hasNext(); )
            {
                final Map.Entry<String, JsonNode> field = it.next();
                final String key = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                final JsonNode other = current.path(field.getKey());
                final String found = other.isMissingNode() ? describe(key, field.getValue(), other) :
                    difference(key, field.getValue(), other);
                if (found != null)
                {
                    return found;
                }
            }
            for (final Iterator<String> it = current.fieldNames(); it.hasNext(); )
            {
                final String name = it.next();
                if (!saved.has(name))
                {
                    return describe(path.isEmpty() ? name : path + "." + name, saved.path(name), current.get(name));
                }
            }
            return null;
        }
        return saved.equals(current) ? null : describe(path, saved, current);
    }

    private static String describe(final String key, final JsonNode saved, final JsonNode current)
    {
        return key + " " + text(saved) + " in the checkpoint, " + text(current) + " in this run";
    }

    private static String text(final JsonNode value)
    {
        return value.isMissingNode() ? "(not set)" : value.isValueNode() ? value.asText() : value.toString();
    }

    private static ObjectNode tree(final String yaml)
    {
        try
        {
            final JsonNode node = YAML.readTree(yaml);
            return node instanceof ObjectNode ? (ObjectNode)node : YAML.createObjectNode();
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("unreadable configuration in a checkpoint: " + ex.getOriginalMessage());
        }
    }
}
