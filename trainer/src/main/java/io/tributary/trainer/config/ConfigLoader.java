package io.tributary.trainer.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a YAML file plus {@code --set key.path=value} overrides into a {@link TrainConfig}. Every problem is
 * a {@link ConfigException} that names the file (or the override), the key path and what was expected.
 */
public final class ConfigLoader
{
    private static final YAMLMapper YAML = YAMLMapper.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
        .build();

    private ConfigLoader()
    {
    }

    public static TrainConfig load(final Path file, final List<String> overrides)
    {
        final String source = file.toString();
        final String text;
        try
        {
            text = Files.readString(file);
        }
        catch (final NoSuchFileException ex)
        {
            throw new ConfigException(source, "", "no such file");
        }
        catch (final IOException ex)
        {
            throw new ConfigException(source, "", "cannot read: " + ex.getMessage());
        }
        return parse(source, text, overrides);
    }

    /** Parses YAML text; {@code source} names it in errors. */
    public static TrainConfig parse(final String source, final String text, final List<String> overrides)
    {
        final ObjectNode root = readRoot(source, text);
        final Map<String, String> applied = new LinkedHashMap<>();
        for (final String override : overrides)
        {
            apply(root, override, applied);
        }
        final String name = baseName(source);
        return TrainConfig.read(name, new ConfigReader(root, "", new ConfigOrigin(source, applied)));
    }

    /**
     * True when {@code keyPath} (such as {@code cluster.nodes}) is given in the file or by an override, not
     * left to its default. Call after {@link #load} succeeded on the same arguments.
     */
    public static boolean setsKey(final Path file, final List<String> overrides, final String keyPath)
    {
        for (final String override : overrides)
        {
            final int eq = override.indexOf('=');
            if (eq > 0 && override.substring(0, eq).trim().equals(keyPath))
            {
                return true;
            }
        }
        final String source = file.toString();
        final ObjectNode root;
        try
        {
            root = readRoot(source, Files.readString(file));
        }
        catch (final IOException ex)
        {
            throw new ConfigException(source, "", "cannot read: " + ex.getMessage());
        }
        JsonNode node = root;
        for (final String key : keyPath.split("\\."))
        {
            node = node.path(key);
        }
        return !node.isMissingNode() && !node.isNull();
    }

    public static String toYaml(final TrainConfig config)
    {
        try
        {
            return YAML.writeValueAsString(config.toMap());
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("cannot write resolved configuration", ex);
        }
    }

    private static ObjectNode readRoot(final String source, final String text)
    {
        final JsonNode tree;
        try
        {
            tree = YAML.readTree(text);
        }
        catch (final JsonProcessingException ex)
        {
            final JsonLocation at = ex.getLocation();
            final String where = at != null ? "line " + at.getLineNr() + ", column " + at.getColumnNr() : "";
            throw new ConfigException(source, where, "malformed YAML: " + firstLine(ex.getOriginalMessage()));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull())
        {
            return YAML.createObjectNode();
        }
        if (!tree.isObject())
        {
            throw new ConfigException(source, "", "expected a mapping with sections such as model:, data:, run:");
        }
        return (ObjectNode)tree;
    }

    private static void apply(final ObjectNode root, final String override, final Map<String, String> applied)
    {
        final int eq = override.indexOf('=');
        final String keyPath = eq > 0 ? override.substring(0, eq).trim() : "";
        if (eq <= 0 || keyPath.isEmpty() || keyPath.startsWith(".") || keyPath.endsWith(".") || keyPath.contains(".."))
        {
            throw new ConfigException("--set " + override, "", "expected key.path=value, such as run.epochs=1");
        }
        final String raw = override.substring(eq + 1);
        final String[] keys = keyPath.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < keys.length - 1; i++)
        {
            final JsonNode child = node.get(keys[i]);
            if (child == null || child.isNull())
            {
                node = node.putObject(keys[i]);
            }
            else if (child.isObject())
            {
                node = (ObjectNode)child;
            }
            else
            {
                throw new ConfigException("--set " + override, String.join(".", List.of(keys).subList(0, i + 1)),
                    "is a value, not a section; cannot set a key below it");
            }
        }
        node.set(keys[keys.length - 1], scalar(raw));
        applied.put(keyPath, raw);
    }

    /** An override's value is read as YAML, so numbers, booleans and lists such as [64,32] keep their type. */
    private static JsonNode scalar(final String raw)
    {
        try
        {
            final JsonNode value = YAML.readTree(raw);
            return value == null || value.isMissingNode() ? YAML.getNodeFactory().textNode(raw) : value;
        }
        catch (final JsonProcessingException ex)
        {
            return YAML.getNodeFactory().textNode(raw);
        }
    }

    private static String baseName(final String source)
    {
        final String file = Path.of(source).getFileName() == null ? source : Path.of(source).getFileName().toString();
        final int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    private static String firstLine(final String message)
    {
        if (message == null)
        {
            return "unreadable";
        }
        final int nl = message.indexOf('\n');
        return (nl >= 0 ? message.substring(0, nl) : message).trim();
    }
}
