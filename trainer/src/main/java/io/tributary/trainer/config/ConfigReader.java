package io.tributary.trainer.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Reads one mapping of the configuration tree into typed values. A section first declares the keys it
 * knows, so a misspelt key is an error that suggests the closest one; every getter checks type and range
 * and names the full key path in its error.
 */
final class ConfigReader
{
    private final ObjectNode node;
    private final String path;
    private final ConfigOrigin origin;

    ConfigReader(final ObjectNode node, final String path, final ConfigOrigin origin)
    {
        this.node = node;
        this.path = path;
        this.origin = origin;
    }

    /** Rejects any key not in {@code known}, suggesting the closest known key. */
    ConfigReader allow(final String... known)
    {
        final List<String> names = Arrays.asList(known);
        final Iterator<String> keys = node.fieldNames();
        while (keys.hasNext())
        {
            final String key = keys.next();
            if (!names.contains(key))
            {
                final String hint = Suggest.closest(key, names);
                throw origin.error(keyPath(key), "unknown key" +
                    (hint != null ? " (did you mean '" + hint + "'?)" : "") + "; known keys: " + String.join(", ", names));
            }
        }
        return this;
    }

    boolean isList(final String key)
    {
        final JsonNode value = node.get(key);
        return value != null && value.isArray();
    }

    /** The length of list {@code key}; 0 when it is absent or not a list. */
    int listSize(final String key)
    {
        return isList(key) ? node.get(key).size() : 0;
    }

    boolean has(final String key)
    {
        final JsonNode value = node.get(key);
        return value != null && !value.isNull();
    }

    ConfigReader section(final String key)
    {
        final JsonNode value = node.get(key);
        if (value == null || value.isNull())
        {
            return new ConfigReader(node.objectNode(), keyPath(key), origin);
        }
        if (!value.isObject())
        {
            throw origin.error(keyPath(key), "expected a mapping of keys, got " + describe(value));
        }
        return new ConfigReader((ObjectNode)value, keyPath(key), origin);
    }

    String string(final String key, final String fallback)
    {
        final JsonNode value = node.get(key);
        if (value == null || value.isNull())
        {
            return fallback;
        }
        if (!value.isValueNode() || value.isBoolean())
        {
            throw origin.error(keyPath(key), "expected a string, got " + describe(value));
        }
        return value.asText();
    }

    String choice(final String key, final String fallback, final String... allowed)
    {
        final String value = string(key, fallback);
        if (value == null)
        {
            throw origin.error(keyPath(key), "missing; expected one of " + String.join(", ", allowed));
        }
        for (final String candidate : allowed)
        {
            if (candidate.equals(value.toLowerCase(Locale.ROOT)))
            {
                return candidate;
            }
        }
        final String hint = Suggest.closest(value, Arrays.asList(allowed));
        throw origin.error(keyPath(key), "expected one of " + String.join(", ", allowed) + ", got '" + value + "'" +
            (hint != null ? " (did you mean '" + hint + "'?)" : ""));
    }

    int integer(final String key, final int fallback, final int min, final int max)
    {
        final JsonNode value = node.get(key);
        if (value == null || value.isNull())
        {
            return fallback;
        }
        return checkedInt(value, keyPath(key), min, max);
    }

    long longValue(final String key, final long fallback)
    {
        final JsonNode value = node.get(key);
        if (value == null || value.isNull())
        {
            return fallback;
        }
        if (value.isIntegralNumber() && value.canConvertToLong())
        {
            return value.asLong();
        }
        if (value.isTextual())
        {
            try
            {
                return Long.parseLong(value.asText().trim());
            }
            catch (final NumberFormatException ignore)
            {
                // falls through to the error below
            }
        }
        throw origin.error(keyPath(key), "expected an integer, got " + describe(value));
    }

    /** A finite number in [min, max]; {@code minExclusive} makes the lower bound strict. */
    double number(final String key, final double fallback, final double min, final boolean minExclusive, final double max)
    {
        final JsonNode value = node.get(key);
        if (value == null || value.isNull())
        {
            return fallback;
        }
        double d = Double.NaN;
        if (value.isNumber())
        {
            d = value.asDouble();
        }
        else if (value.isTextual())
        {
            try
            {
                d = Double.parseDouble(value.asText().trim());
            }
            catch (final NumberFormatException ignore)
            {
                d = Double.NaN;
            }
        }
        if (!Double.isFinite(d))
        {
            throw origin.error(keyPath(key), "expected a number, got " + describe(value));
        }
        if (d < min || (minExclusive && d == min) || d > max)
        {
            throw origin.error(keyPath(key), "expected a number " + (minExclusive ? "> " : ">= ") + format(min) +
                (max < Double.MAX_VALUE ? " and <= " + format(max) : "") + ", got " + format(d));
        }
        return d;
    }

    boolean bool(final String key, final boolean fallback)
    {
        final JsonNode value = node.get(key);
        if (value == null || value.isNull())
        {
            return fallback;
        }
        if (value.isBoolean())
        {
            return value.asBoolean();
        }
        if (value.isTextual() && ("true".equalsIgnoreCase(value.asText()) || "false".equalsIgnoreCase(value.asText())))
        {
            return Boolean.parseBoolean(value.asText());
        }
        throw origin.error(keyPath(key), "expected true or false, got " + describe(value));
    }

    List<Integer> intList(final String key, final List<Integer> fallback, final int min, final int max)
    {
        final JsonNode value = node.get(key);
        if (value == null || value.isNull())
        {
            return fallback;
        }
        if (!value.isArray())
        {
            throw origin.error(keyPath(key), "expected a list of integers such as [512, 256], got " + describe(value));
        }
        final List<Integer> list = new ArrayList<>();
        for (int i = 0; i < value.size(); i++)
        {
            list.add(checkedInt(value.get(i), keyPath(key) + "[" + i + "]", min, max));
        }
        return List.copyOf(list);
    }

    /** A list of finite numbers, each > {@code exclusiveMin}; {@code fallback} when the key is absent. */
    List<Double> numberList(final String key, final List<Double> fallback, final double exclusiveMin)
    {
        final JsonNode value = node.get(key);
        if (value == null || value.isNull())
        {
            return fallback;
        }
        if (!value.isArray())
        {
            throw origin.error(keyPath(key), "expected a list of numbers such as [3, 1], got " + describe(value));
        }
        final List<Double> list = new ArrayList<>();
        for (int i = 0; i < value.size(); i++)
        {
            final JsonNode item = value.get(i);
            final double d = item.isNumber() ? item.asDouble() : Double.NaN;
            if (!Double.isFinite(d) || d <= exclusiveMin)
            {
                throw origin.error(keyPath(key) + "[" + i + "]", "expected a number > " + format(exclusiveMin) +
                    ", got " + describe(item));
            }
            list.add(d);
        }
        return List.copyOf(list);
    }

    ConfigException error(final String key, final String expectation)
    {
        return origin.error(keyPath(key), expectation);
    }

    String keyPath(final String key)
    {
        return path.isEmpty() ? key : path + "." + key;
    }

    private int checkedInt(final JsonNode value, final String keyPath, final int min, final int max)
    {
        long v;
        if (value.isIntegralNumber() && value.canConvertToLong())
        {
            v = value.asLong();
        }
        else if (value.isTextual() && value.asText().trim().matches("-?\\d{1,18}"))
        {
            v = Long.parseLong(value.asText().trim());
        }
        else
        {
            throw origin.error(keyPath, "expected an integer, got " + describe(value));
        }
        if (v < min || v > max)
        {
            throw origin.error(keyPath, "expected an integer " + (max == Integer.MAX_VALUE ?
                ">= " + min : "in [" + min + ", " + max + "]") + ", got " + v);
        }
        return (int)v;
    }

    private static String describe(final JsonNode value)
    {
        if (value.isObject())
        {
            return "a mapping";
        }
        if (value.isArray())
        {
            return "a list";
        }
        if (value.isTextual())
        {
            return "'" + value.asText() + "'";
        }
        return value.toString();
    }

    private static String format(final double d)
    {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long)d) : Double.toString(d);
    }
}
