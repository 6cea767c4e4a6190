package io.tributary.trainer.config;

import java.util.Map;

/**
 * Straggler mitigation under sync ({@code strategy.backup_nodes}, {@code strategy.max_wait_ms},
 * {@code strategy.backup_probe_every}): which nodes' contributions a step goes without. A ring cannot finish
 * without every member, so lateness is judged before the step, from every node's measured compute time (a moving
 * average every node holds the same): the {@code nodes} slowest are dropped, or, with {@code maxWaitMs}, every
 * node predicted to finish more than that after the fastest (with both, the {@code nodes} slowest and only if that
 * late). A dropped node computes nothing and joins the reduction with nothing; the step divides by the examples
 * actually summed. Every {@code probeEvery} steps nobody is dropped, so a dropped node is measured again.
 */
public record BackupConfig(int nodes, double maxWaitMs, int probeEvery)
{
    public static final int DEFAULT_PROBE_EVERY = 20;
    public static final BackupConfig NONE = new BackupConfig(0, 0, DEFAULT_PROBE_EVERY);

    public boolean enabled()
    {
        return nodes > 0 || maxWaitMs > 0;
    }

    static BackupConfig read(final ConfigReader r, final String type)
    {
        final BackupConfig backup = new BackupConfig(
            r.integer("backup_nodes", 0, 0, 255),
            r.number("max_wait_ms", 0, 0, false, 3_600_000),
            r.integer("backup_probe_every", DEFAULT_PROBE_EVERY, 2, Integer.MAX_VALUE));
        for (final String key : new String[] { "backup_nodes", "max_wait_ms", "backup_probe_every" })
        {
            if (r.has(key) && !StrategyConfig.SYNC.equals(type))
            {
                throw r.error(key, "only with strategy.type sync, got type " + type);
            }
        }
        if (r.has("backup_probe_every") && !backup.enabled())
        {
            throw r.error("backup_probe_every", "applies with strategy.backup_nodes or strategy.max_wait_ms only");
        }
        return backup;
    }

    void putInto(final Map<String, Object> strategy)
    {
        if (enabled())
        {
            strategy.put("backup_nodes", nodes);
            strategy.put("max_wait_ms", maxWaitMs);
            strategy.put("backup_probe_every", probeEvery);
        }
    }
}
