package io.tributary.trainer.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** Devices of this node and, later, the nodes of the job. */
public record ClusterConfig(String backend, int devices, int nodes)
{
    static ClusterConfig read(final ConfigReader r)
    {
        r.allow("backend", "devices", "nodes");
        final String backend = r.choice("backend", "cpu", "cpu", "cuda");
        if ("cuda".equals(backend))
        {
            throw r.error("backend", "'cuda' is not available in this version yet (CPU virtual devices only); use cpu");
        }
        final int devices = r.integer("devices", 1, 1, 256);
        final int nodes = r.integer("nodes", 1, 1, Integer.MAX_VALUE);
        if (nodes != 1)
        {
            throw r.error("nodes", "expected 1: this version trains on one node (multi-node comes with the launcher), got " + nodes);
        }
        return new ClusterConfig(backend, devices, nodes);
    }

    Map<String, Object> toMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("backend", backend);
        map.put("devices", devices);
        map.put("nodes", nodes);
        return map;
    }
}
