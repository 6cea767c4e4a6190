package io.tributary.trainer.config;

import io.tributary.trainer.backend.CudaAvailability;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Devices of this node and the nodes of the job. Under {@code backend: cpu} the devices are virtual (one
 * replica thread each); under {@code cuda} each device is a GPU id from {@code gpus}, and {@code devices} is
 * their count. With {@code nodes > 1} the nodes meet at {@code master_addr:master_port} (rank 0's rendezvous),
 * and {@code scheme} says how node sums are reduced across nodes: {@code leader} (one ring among node
 * leaders) or {@code sharded} (one ring per local device, each over its shard of the gradient).
 * {@code node_rank} -1 means "from the environment" (RANK or SLURM_PROCID); an empty {@code token} likewise
 * (TRIBUTARY_TOKEN). The environment wins over these keys; see {@code io.tributary.trainer.cluster.World}.
 * {@code balance} cuts the global batch between devices ({@link BalanceConfig}). {@code devices} is one count for
 * every node, or a list of one count per node by rank ({@code nodeDevices}, backend cpu only): a node of 4 devices
 * beside one of 2 gets twice its slice of each batch under equal shares. Then {@code devices} holds the largest.
 */
public record ClusterConfig(String backend, int devices, int nodes, List<Integer> gpus, String scheme,
    String masterAddr, int masterPort, int nodeRank, String job, String token, int timeoutSeconds,
    BalanceConfig balance, List<Integer> nodeDevices, int mtu)
{
    /** Rendezvous and collective deadline: a node missing or silent this long fails the job, naming it. */
    public static final int DEFAULT_TIMEOUT_SECONDS = 30;

    static final int MAX_GPU_ID = 1023;
    public static final String LEADER = "leader";
    public static final String SHARDED = "sharded";
    public static final int DEFAULT_MASTER_PORT = 29500;
    public static final String DEFAULT_JOB = "tributary";
    /** {@code cluster.mtu: auto}: the transport picks the MTU of the data address's interface. */
    public static final int AUTO_MTU = 0;

    public ClusterConfig
    {
        nodeDevices = List.copyOf(nodeDevices);
        if (!nodeDevices.isEmpty() && nodeDevices.size() != nodes)
        {
            throw new IllegalArgumentException(nodeDevices.size() + " device counts for " + nodes + " nodes");
        }
    }

    /** The same device count on every node, the MTU chosen by the data address's interface. */
    public ClusterConfig(final String backend, final int devices, final int nodes, final List<Integer> gpus,
        final String scheme, final String masterAddr, final int masterPort, final int nodeRank, final String job,
        final String token, final int timeoutSeconds, final BalanceConfig balance)
    {
        this(backend, devices, nodes, gpus, scheme, masterAddr, masterPort, nodeRank, job, token, timeoutSeconds,
            balance, List.of(), AUTO_MTU);
    }

    /** Equal shares. */
    public ClusterConfig(final String backend, final int devices, final int nodes, final List<Integer> gpus,
        final String scheme, final String masterAddr, final int masterPort, final int nodeRank, final String job,
        final String token, final int timeoutSeconds)
    {
        this(backend, devices, nodes, gpus, scheme, masterAddr, masterPort, nodeRank, job, token, timeoutSeconds,
            BalanceConfig.NONE);
    }

    /** A CPU (or default-GPU) cluster: no explicit GPU ids, default rendezvous. */
    public ClusterConfig(final String backend, final int devices, final int nodes)
    {
        this(backend, devices, nodes, List.of(), LEADER);
    }

    /** Default rendezvous (127.0.0.1:29500, rank and token from the environment). */
    public ClusterConfig(final String backend, final int devices, final int nodes, final List<Integer> gpus,
        final String scheme)
    {
        this(backend, devices, nodes, gpus, scheme, "127.0.0.1", DEFAULT_MASTER_PORT, -1, DEFAULT_JOB, "",
            DEFAULT_TIMEOUT_SECONDS);
    }

    /** The devices of node {@code node}. */
    public int devicesOf(final int node)
    {
        return nodeDevices.isEmpty() ? devices : nodeDevices.get(node);
    }

    /** The devices of every node, by rank. */
    public int[] devicesPerNode()
    {
        final int[] counts = new int[nodes];
        for (int n = 0; n < nodes; n++)
        {
            counts[n] = devicesOf(n);
        }
        return counts;
    }

    /** The devices of the whole job. */
    public int workers()
    {
        int workers = 0;
        for (int n = 0; n < nodes; n++)
        {
            workers += devicesOf(n);
        }
        return workers;
    }

    /** Inter-node rings of a node: one per local device under {@code sharded}, else one. */
    public int rings()
    {
        return SHARDED.equals(scheme) ? devices : 1;
    }

    /** This cluster with another scheme and node count: for tests and benchmarks. */
    public ClusterConfig withNodes(final int nodes, final int devices, final String scheme)
    {
        return new ClusterConfig(backend, devices, nodes, gpus, scheme, masterAddr, masterPort, nodeRank, job, token,
            timeoutSeconds, balance.shares().size() == nodes * devices ? balance : balance.withoutShares());
    }

    /** This cluster with another balance: for tests and benchmarks. */
    public ClusterConfig withBalance(final BalanceConfig balance)
    {
        return new ClusterConfig(backend, devices, nodes, gpus, scheme, masterAddr, masterPort, nodeRank, job, token,
            timeoutSeconds, balance, nodeDevices, mtu);
    }

    static ClusterConfig read(final ConfigReader r)
    {
        r.allow("backend", "devices", "nodes", "gpus", "scheme", "master_addr", "master_port", "node_rank", "job",
            "token", "timeout_s", "shares", "balance", "balance_every", "balance_threshold", "mtu");
        final String backend = r.choice("backend", "cpu", "cpu", "cuda");
        // A list of one device count per node says how many nodes there are, unless cluster.nodes says it.
        final int nodes = r.integer("nodes", Math.max(1, r.listSize("devices")), 1, 256);
        final List<Integer> counts = nodeDevices(r, nodes, backend);
        int devices = counts.isEmpty() ? r.integer("devices", 1, 1, 256) : Collections.max(counts);
        // Equal counts given as a list are one count.
        final List<Integer> nodeDevices = counts.stream().distinct().count() > 1 ? counts : List.of();
        final String scheme = r.choice("scheme", LEADER, LEADER, SHARDED);
        if (SHARDED.equals(scheme) && !nodeDevices.isEmpty())
        {
            throw r.error("scheme", "sharded runs one ring per local device, so every node needs the same " +
                "cluster.devices; got " + nodeDevices + " (use scheme leader)");
        }
        final String masterAddr = r.string("master_addr", "127.0.0.1");
        final int masterPort = r.integer("master_port", DEFAULT_MASTER_PORT, 1, 65535);
        final int nodeRank = r.integer("node_rank", -1, -1, 255);
        if (nodeRank >= nodes)
        {
            throw r.error("node_rank", "expected -1 (from the environment) or 0.." + (nodes - 1) + " for " + nodes +
                " nodes, got " + nodeRank);
        }
        final String job = r.string("job", DEFAULT_JOB);
        if (!job.matches("[A-Za-z0-9_.-]{1,64}"))
        {
            throw r.error("job", "expected 1-64 characters of [A-Za-z0-9_.-], got '" + job + "'");
        }
        final String token = r.string("token", "");
        final int timeoutSeconds = r.integer("timeout_s", DEFAULT_TIMEOUT_SECONDS, 1, 3600);
        final int mtu = readMtu(r);
        if (token.length() > 256)
        {
            throw r.error("token", "expected at most 256 characters, got " + token.length());
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
        final BalanceConfig balance = nodeDevices.isEmpty() ?
            BalanceConfig.read(r, nodes * devices, nodes + " node(s) x " + devices + " device(s)") :
            BalanceConfig.read(r, nodeDevices.stream().mapToInt(Integer::intValue).sum(), "devices " + nodeDevices);
        return new ClusterConfig(backend, devices, nodes, gpus, scheme, masterAddr, masterPort, nodeRank, job, token,
            timeoutSeconds, balance, nodeDevices, mtu);
    }

    /** {@code auto} (or absent): {@link #AUTO_MTU}; else a data frame size Aeron accepts. */
    private static int readMtu(final ConfigReader r)
    {
        if ("auto".equals(r.string("mtu", "auto")))
        {
            return AUTO_MTU;
        }
        final int mtu = r.integer("mtu", AUTO_MTU, 1024, 65504);
        if (mtu % 32 != 0)
        {
            throw r.error("mtu", "expected auto or a multiple of 32 in [1024, 65504], got " + mtu);
        }
        return mtu;
    }

    /** {@code devices} as a list of one count per node; empty when it is one number (or absent). */
    private static List<Integer> nodeDevices(final ConfigReader r, final int nodes, final String backend)
    {
        if (!r.isList("devices"))
        {
            return List.of();
        }
        final List<Integer> counts = r.intList("devices", List.of(), 1, 256);
        if (counts.size() != nodes)
        {
            throw r.error("devices", "expected one count per node, node by node (cluster.nodes " + nodes + "), got " +
                counts.size() + ": " + counts);
        }
        if (!"cpu".equals(backend))
        {
            throw r.error("devices", "a device count per node applies to backend cpu (nodes reduce in host " +
                "memory); this run has backend " + backend);
        }
        return counts;
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
        map.put("devices", nodeDevices.isEmpty() ? devices : nodeDevices);
        map.put("nodes", nodes);
        if (!gpus.isEmpty())
        {
            map.put("gpus", gpus);
        }
        map.put("scheme", scheme);
        map.put("master_addr", masterAddr);
        map.put("master_port", masterPort);
        map.put("node_rank", nodeRank);
        map.put("job", job);
        map.put("timeout_s", timeoutSeconds);
        map.put("mtu", mtu == AUTO_MTU ? "auto" : mtu);
        balance.putInto(map);
        // The token is a shared secret: never written into the run directory's config.yaml.
        return map;
    }
}
