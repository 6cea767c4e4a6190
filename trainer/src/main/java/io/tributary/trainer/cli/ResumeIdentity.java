package io.tributary.trainer.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tributary.trainer.config.ConfigLoader;
import io.tributary.trainer.config.TrainConfig;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What a resumed run must share with the run that wrote its checkpoint: the resolved configuration (as
 * {@link ConfigLoader#toYaml} writes it) without the keys a resume may change. Those say how long to train,
 * where to write, how often to checkpoint or check, and where the job meets; none of them changes a step.
 */
final class ResumeIdentity
{
    /** Section and key of every configuration key a resume may change. */
    static final List<String> MAY_CHANGE = List.of(
        "run.epochs", "run.out", "run.checkpoint_every", "run.checkpoint_steps", "run.timeline_steps",
        "run.eval_each_epoch", "strategy.check_every", "cluster.master_addr", "cluster.master_port",
        "cluster.node_rank", "cluster.job", "cluster.token", "cluster.timeout_s");

    private static final YAMLMapper YAML = new YAMLMapper();

    private ResumeIdentity()
    {
    }

    /** The configuration as YAML text, without the keys a resume may change. */
    static String of(final TrainConfig config)
    {
        final ObjectNode tree = tree(ConfigLoader.toYaml(config));
        for (final String key : MAY_CHANGE)
        {
            final int dot = key.indexOf('.');
            final JsonNode section = tree.get(key.substring(0, dot));
            if (section instanceof ObjectNode)
            {
                ((ObjectNode)section).remove(key.substring(dot + 1));
            }
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
        return difference("", tree(saved), tree(current));
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
