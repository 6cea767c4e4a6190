package io.tributary.trainer.config;

import io.tributary.trainer.backend.CudaAvailability;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Devices of this node and, later, the nodes of the job. Under {@code backend: cpu} the devices are virtual
 * (one replica thread each); under {@code cuda} each device is a GPU id from {@code gpus}, and
 * {@code devices} is their count.
 */
public record ClusterConfig(String backend, int devices, int nodes, List<Integer> gpus)
{
    static final int MAX_GPU_ID = 1023;

    /** A CPU (or default-GPU) cluster: no explicit GPU ids. */
    public ClusterConfig(final String backend, final int devices, final int nodes)
    {
        this(backend, devices, nodes, List.of());
    }

    static ClusterConfig read(final ConfigReader r)
    {
        r.allow("backend", "devices", "nodes", "gpus");
        final String backend = r.choice("backend", "cpu", "cpu", "cuda");
        int devices = r.integer("devices", 1, 1, 256);
        final int nodes = r.integer("nodes", 1, 1, Integer.MAX_VALUE);
        if (nodes != 1)
        {
            throw r.error("nodes", "expected 1: this version trains on one node (multi-node comes with the launcher), got " + nodes);
        }
        List<Integer> gpus = List.of();
        if ("cpu".equals(backend))
        {
            if (r.has("gpus"))
            {
                throw r.error("gpus", "GPU ids apply to backend cuda only; this run has backend cpu (set cluster.backend: cuda)");
            }
        }
        else
        {
            gpus = gpuIds(r, devices);
            devices = gpus.size();
            final String reason = CudaAvailability.unavailableReason(gpus);
            if (reason != null)
            {
                throw r.error("backend", reason);
            }
        }
        return new ClusterConfig(backend, devices, nodes, gpus);
    }

    private static List<Integer> gpuIds(final ConfigReader r, final int devices)
    {
        if (!r.has("gpus"))
        {
            final List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < devices; i++)
            {
                ids.add(i);
            }
            return List.copyOf(ids);
        }
        final List<Integer> gpus = r.intList("gpus", List.of(), 0, MAX_GPU_ID);
        if (gpus.isEmpty())
        {
            throw r.error("gpus", "expected at least one GPU id, such as [0] or [0, 1]");
        }
        if (new HashSet<>(gpus).size() != gpus.size())
        {
            throw r.error("gpus", "expected distinct GPU ids, got " + gpus);
        }
        if (r.has("devices") && devices != gpus.size())
        {
            throw r.error("devices", "expected " + gpus.size() + " (one per id in cluster.gpus " + gpus +
                ") or no value under backend cuda, got " + devices);
        }
        return gpus;
    }

    Map<String, Object> toMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("backend", backend);
        map.put("devices", devices);
        map.put("nodes", nodes);
        if (!gpus.isEmpty())
        {
            map.put("gpus", gpus);
        }
        return map;
    }
}
