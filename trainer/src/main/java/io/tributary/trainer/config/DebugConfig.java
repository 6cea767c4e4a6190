package io.tributary.trainer.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fault injection for tests and benchmarks, refused unless {@code debug.enabled: true} so that a production
 * configuration cannot carry it by mistake. {@code slowdown} makes one replica's forward/backward pass take
 * {@code factor} times as long (null: none).
 */
public record DebugConfig(boolean enabled, Slowdown slowdown)
{
    public static final DebugConfig NONE = new DebugConfig(false, null);

    /** Replica {@code device} of node {@code node} computes {@code factor} times slower. */
    public record Slowdown(int node, int device, double factor)
    {
    }

    static DebugConfig read(final ConfigReader r, final ClusterConfig cluster)
    {
        r.allow("enabled", "slowdown");
        final boolean enabled = r.bool("enabled", false);
        Slowdown slowdown = null;
        if (r.has("slowdown"))
        {
            if (!enabled)
            {
                throw r.error("slowdown", "is fault injection for tests and benchmarks; set debug.enabled: true " +
                    "to allow it");
            }
            final ConfigReader s = r.section("slowdown");
            s.allow("node", "device", "factor");
            final int node = s.integer("node", 0, 0, cluster.nodes() - 1);
            slowdown = new Slowdown(node, s.integer("device", 0, 0, cluster.devicesOf(node) - 1),
                s.number("factor", 2, 1, false, 1000));
        }
        return new DebugConfig(enabled, slowdown);
    }

    /** The slowdown factor of replica {@code device} on node {@code node}: 1 unless it is the slowed one. */
    public double slowdownOf(final int node, final int device)
    {
        return slowdown != null && slowdown.node() == node && slowdown.device() == device ? slowdown.factor() : 1.0;
    }

    Map<String, Object> toMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("enabled", enabled);
        if (slowdown != null)
        {
            final Map<String, Object> s = new LinkedHashMap<>();
            s.put("node", slowdown.node());
            s.put("device", slowdown.device());
            s.put("factor", slowdown.factor());
            map.put("slowdown", s);
        }
        return map;
    }
}
