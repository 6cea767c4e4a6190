package io.tributary.trainer.cluster;

import io.tributary.trainer.config.ClusterConfig;
import io.tributary.trainer.config.ConfigException;

import java.util.List;
import java.util.Map;

/**
 * Finds this process's place in the job. The rank, world size and local rank come from the first of: the
 * torchrun variables (RANK, WORLD_SIZE, LOCAL_RANK), the Slurm ones (SLURM_PROCID, SLURM_NTASKS,
 * SLURM_LOCALID; the master is the first host of SLURM_STEP_NODELIST, else SLURM_NODELIST, else
 * SLURM_JOB_NODELIST), or the YAML {@code cluster.node_rank}. WORLD_SIZE / SLURM_NTASKS give the node count
 * unless {@code cluster.nodes} was set explicitly; then they must equal it. LOCAL_RANK / SLURM_LOCALID are
 * checked and reported only.
 * MASTER_ADDR and MASTER_PORT win over the node list and over {@code cluster.master_addr/master_port};
 * TRIBUTARY_JOB and TRIBUTARY_TOKEN over {@code cluster.job/token}. Every error names the variable or key.
 */
public final class WorldResolver
{
    /**
     * The token of a multi-node job that set none: any process that knows the job id may join, so the node
     * warns (see {@link #isOpen}).
     */
    public static final String OPEN_TOKEN = "tributary-open";

    private static final String ENV = "environment";
    private static final String CONFIG = "configuration";
    private static final String JOB_PATTERN = "[A-Za-z0-9_.-]{1,64}";

    private WorldResolver()
    {
    }

    /** As {@link #resolve(ClusterConfig, Map, boolean)} with {@code cluster.nodes} set explicitly. */
    public static World resolve(final ClusterConfig cluster, final Map<String, String> env)
    {
        return resolve(cluster, env, true);
    }

    /**
     * @param nodesExplicit whether {@code cluster.nodes} was given (in the YAML or by --set): then WORLD_SIZE or
     *                      SLURM_NTASKS must equal it; otherwise they give the node count
     * @throws ConfigException naming the environment variable or configuration key that is wrong
     */
    public static World resolve(final ClusterConfig cluster, final Map<String, String> env,
        final boolean nodesExplicit)
    {
        final boolean torchrun = env.containsKey("RANK") || env.containsKey("WORLD_SIZE");
        final boolean slurm = isSlurmStep(cluster, env);
        final int nodes = nodes(cluster, env, nodesExplicit, torchrun ? "WORLD_SIZE" : slurm ? "SLURM_NTASKS" : null);
        final String job = job(cluster, env);
        final String token = token(cluster, env, nodes);
        if (nodes == 1 && !torchrun && !slurm)
        {
            return new World(0, 1, 0, cluster.masterAddr(), cluster.masterPort(), job, token);
        }

        final int rank;
        final int localRank;
        String masterHost = cluster.masterAddr();
        if (torchrun)
        {
            rank = rank(env, "RANK", nodes);
            localRank = localRank(env, "LOCAL_RANK");
        }
        else if (slurm)
        {
            rank = rank(env, "SLURM_PROCID", nodes);
            localRank = localRank(env, "SLURM_LOCALID");
            final String listName = slurmNodeList(env);
            if (listName != null)
            {
                masterHost = firstHost(listName, env.get(listName));
            }
        }
        else
        {
            if (cluster.nodeRank() < 0)
            {
                throw new ConfigException(CONFIG, "cluster.node_rank", "this node's rank is missing for " + nodes +
                    " nodes: set RANK (torchrun style), SLURM_PROCID (srun) or cluster.node_rank");
            }
            rank = cluster.nodeRank();
            localRank = 0;
        }

        final String masterAddr = env.get("MASTER_ADDR");
        if (masterAddr != null)
        {
            if (masterAddr.isBlank())
            {
                throw new ConfigException(ENV, "MASTER_ADDR", "expected the host of node 0, got an empty value");
            }
            masterHost = masterAddr.strip();
        }
        final int masterPort = env.containsKey("MASTER_PORT") ? port(env.get("MASTER_PORT")) :
            cluster.masterPort();
        final int lastPort = masterPort + cluster.rings() - 1;
        if (lastPort > 65535)
        {
            throw new ConfigException(env.containsKey("MASTER_PORT") ? ENV : CONFIG,
                env.containsKey("MASTER_PORT") ? "MASTER_PORT" : "cluster.master_port",
                "the sharded scheme uses ports " + masterPort + ".." + lastPort + " (one per device), above 65535");
        }
        return new World(rank, nodes, localRank, masterHost, masterPort, job, token);
    }

    /**
     * Where {@link #resolve} took the master host from, for errors about that host: {source, key} as a
     * {@link ConfigException} names them ("environment", "MASTER_ADDR"; "environment", a Slurm node list;
     * or "configuration", "cluster.master_addr").
     */
    public static String[] masterSource(final Map<String, String> env)
    {
        if (env.containsKey("MASTER_ADDR"))
        {
            return new String[] { ENV, "MASTER_ADDR" };
        }
        final String list = env.containsKey("RANK") || env.containsKey("WORLD_SIZE") ||
            !env.containsKey("SLURM_PROCID") ? null : slurmNodeList(env);
        return list != null ? new String[] { ENV, list } : new String[] { CONFIG, "cluster.master_addr" };
    }

    /**
     * The Slurm node list whose first host is the master, or null when none is set: the step's (task 0 of a
     * step on part of the allocation runs on the step's first host), else the allocation's.
     */
    private static String slurmNodeList(final Map<String, String> env)
    {
        for (final String name : List.of("SLURM_STEP_NODELIST", "SLURM_NODELIST", "SLURM_JOB_NODELIST"))
        {
            final String value = env.get(name);
            if (value != null && !value.isBlank())
            {
                return name;
            }
        }
        return null;
    }

    /** True when the job runs with {@link #OPEN_TOKEN}: any process that knows the job id may join it. */
    public static boolean isOpen(final World world)
    {
        return !world.isSingle() && OPEN_TOKEN.equals(world.token());
    }

    private static String job(final ClusterConfig cluster, final Map<String, String> env)
    {
        final String job = env.get("TRIBUTARY_JOB");
        if (job == null)
        {
            return cluster.job();
        }
        if (!job.matches(JOB_PATTERN))
        {
            throw new ConfigException(ENV, "TRIBUTARY_JOB", "expected 1-64 characters of [A-Za-z0-9_.-], got '" +
                job + "'");
        }
        return job;
    }

    private static String token(final ClusterConfig cluster, final Map<String, String> env, final int nodes)
    {
        final String fromEnv = env.get("TRIBUTARY_TOKEN");
        if (fromEnv != null && fromEnv.length() > 256)
        {
            throw new ConfigException(ENV, "TRIBUTARY_TOKEN", "expected at most 256 characters, got " +
                fromEnv.length());
        }
        final String token = fromEnv != null && !fromEnv.isEmpty() ? fromEnv : cluster.token();
        if (!token.isEmpty())
        {
            return token;
        }
        return nodes == 1 ? World.single().token() : OPEN_TOKEN;
    }

    /**
     * Slurm's variables describe this process only inside a job step (srun sets SLURM_STEP_ID). A batch script
     * has SLURM_PROCID and SLURM_NTASKS too: there a one-node run ignores them instead of waiting for ranks
     * that never come.
     */
    private static boolean isSlurmStep(final ClusterConfig cluster, final Map<String, String> env)
    {
        return !env.containsKey("RANK") && !env.containsKey("WORLD_SIZE") && env.containsKey("SLURM_PROCID") &&
            (env.containsKey("SLURM_STEP_ID") || cluster.nodes() > 1);
    }

    /** The job's node count: WORLD_SIZE / SLURM_NTASKS unless cluster.nodes was set, which they must then equal. */
    private static int nodes(final ClusterConfig cluster, final Map<String, String> env, final boolean explicit,
        final String name)
    {
        final String value = name == null ? null : env.get(name);
        if (value == null)
        {
            return cluster.nodes();
        }
        final int size = integer(name, value);
        if (explicit && size != cluster.nodes())
        {
            throw new ConfigException(ENV, name, "expected " + cluster.nodes() + " (cluster.nodes; pass --set " +
                "cluster.nodes=" + size + " to run " + size + " nodes, or leave cluster.nodes out to take it from " +
                name + "), got " + size);
        }
        if (size < 1 || size > 256)
        {
            throw new ConfigException(ENV, name, "expected 1..256 nodes, got " + size);
        }
        return size;
    }

    private static int rank(final Map<String, String> env, final String name, final int nodes)
    {
        final String value = env.get(name);
        if (value == null)
        {
            throw new ConfigException(ENV, name, "this node's rank is missing; expected 0.." + (nodes - 1));
        }
        final int rank = integer(name, value);
        if (rank < 0 || rank >= nodes)
        {
            throw new ConfigException(ENV, name, "expected 0.." + (nodes - 1) + " for " + nodes + " nodes, got " +
                rank);
        }
        return rank;
    }

    private static int localRank(final Map<String, String> env, final String name)
    {
        final String value = env.get(name);
        if (value == null)
        {
            return 0;
        }
        final int localRank = integer(name, value);
        if (localRank < 0)
        {
            throw new ConfigException(ENV, name, "expected 0 or more, got " + localRank);
        }
        return localRank;
    }

    private static int port(final String value)
    {
        final int port = integer("MASTER_PORT", value);
        if (port < 1 || port > 65535)
        {
            throw new ConfigException(ENV, "MASTER_PORT", "expected a UDP port 1..65535, got " + port);
        }
        return port;
    }

    private static int integer(final String name, final String value)
    {
        try
        {
            return Integer.parseInt(value.strip());
        }
        catch (final NumberFormatException ex)
        {
            throw new ConfigException(ENV, name, "expected an integer, got '" + value + "'");
        }
    }

    private static String firstHost(final String name, final String nodeList)
    {
        final List<String> hosts;
        try
        {
            hosts = SlurmHostList.expand(nodeList);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException(ENV, name, "cannot read host list '" + nodeList + "': " +
                ex.getMessage());
        }
        return hosts.get(0);
    }
}
