package io.tributary.trainer.cluster;

import io.tributary.trainer.config.ClusterConfig;
import io.tributary.trainer.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every source of a node's place in the job, their precedence, and every error naming its variable or key. */
class WorldResolverTest
{
    private static ClusterConfig cluster(final int nodes, final int nodeRank, final String token)
    {
        return new ClusterConfig("cpu", 2, nodes, List.of(), ClusterConfig.LEADER, "10.0.0.1", 29500, nodeRank,
            "yaml-job", token, 30);
    }

    private static ClusterConfig sharded(final int devices, final int masterPort)
    {
        return new ClusterConfig("cpu", devices, 2, List.of(), ClusterConfig.SHARDED, "10.0.0.1", masterPort, 0,
            "yaml-job", "t", 30);
    }

    @Test
    void oneNodeNeedsNoEnvironment()
    {
        final World world = WorldResolver.resolve(cluster(1, -1, ""), Map.of());
        assertEquals(new World(0, 1, 0, "10.0.0.1", 29500, "yaml-job", "local"), world);
        assertTrue(world.isSingle());
        assertFalse(WorldResolver.isOpen(world));
    }

    @Test
    void torchrunVariablesWinOverTheYaml()
    {
        final World world = WorldResolver.resolve(cluster(4, 0, "yaml-token"), Map.of("RANK", "3", "WORLD_SIZE", "4",
            "LOCAL_RANK", "1", "MASTER_ADDR", "host-a", "MASTER_PORT", "31000", "TRIBUTARY_TOKEN", "env-token",
            "TRIBUTARY_JOB", "env-job"));
        assertEquals(new World(3, 4, 1, "host-a", 31000, "env-job", "env-token"), world);
    }

    @Test
    void torchrunWithoutMasterUsesTheYamlRendezvousAndToken()
    {
        final World world = WorldResolver.resolve(cluster(2, -1, "yaml-token"), Map.of("RANK", "1", "WORLD_SIZE", "2"));
        assertEquals(new World(1, 2, 0, "10.0.0.1", 29500, "yaml-job", "yaml-token"), world);
    }

    @Test
    void slurmMasterIsTheFirstHostOfTheNodeList()
    {
        final World world = WorldResolver.resolve(cluster(4, -1, "t"), Map.of("SLURM_PROCID", "2",
            "SLURM_NTASKS", "4", "SLURM_LOCALID", "0", "SLURM_NODELIST", "gpu[07-08,11],cpu3"));
        assertEquals(new World(2, 4, 0, "gpu07", 29500, "yaml-job", "t"), world);
    }

    @Test
    void slurmJobNodeListWhenTheStepHasNone()
    {
        final World world = WorldResolver.resolve(cluster(2, -1, "t"), Map.of("SLURM_PROCID", "1",
            "SLURM_NTASKS", "2", "SLURM_JOB_NODELIST", "a[3-4]"));
        assertEquals("a3", world.masterHost());
        assertError("environment: SLURM_JOB_NODELIST: cannot read host list 'a[4-3]'", cluster(2, -1, "t"),
            Map.of("SLURM_PROCID", "0", "SLURM_JOB_NODELIST", "a[4-3]"));
    }

    @Test
    void masterAddrAndPortWinOverTheSlurmNodeList()
    {
        final World world = WorldResolver.resolve(cluster(2, -1, "t"), Map.of("SLURM_PROCID", "1",
            "SLURM_NTASKS", "2", "SLURM_LOCALID", "1", "SLURM_NODELIST", "gpu[01-02]", "MASTER_ADDR", "login1",
            "MASTER_PORT", "40000"));
        assertEquals(new World(1, 2, 1, "login1", 40000, "yaml-job", "t"), world);
    }

    @Test
    void torchrunWinsOverSlurm()
    {
        final World world = WorldResolver.resolve(cluster(2, -1, "t"), Map.of("RANK", "0", "WORLD_SIZE", "2",
            "SLURM_PROCID", "1", "SLURM_NTASKS", "2", "SLURM_NODELIST", "n[1-2]"));
        assertEquals(0, world.rank());
        assertEquals("10.0.0.1", world.masterHost(), "the Slurm node list is not read under torchrun variables");
    }

    @Test
    void worldSizeOrSlurmTasksGiveTheNodeCountWhenClusterNodesWasNotSet()
    {
        // torchrun / srun with a one-node YAML: the environment says how many nodes (R2-4).
        assertEquals(new World(1, 3, 0, "10.0.0.1", 29500, "yaml-job", "t"),
            WorldResolver.resolve(cluster(1, -1, "t"), Map.of("RANK", "1", "WORLD_SIZE", "3"), false));
        assertEquals(new World(2, 4, 0, "n1", 29500, "yaml-job", "t"), WorldResolver.resolve(cluster(1, -1, "t"),
            Map.of("SLURM_PROCID", "2", "SLURM_NTASKS", "4", "SLURM_STEP_ID", "0", "SLURM_NODELIST", "n[1-4]"), false));
        // Set explicitly, they must agree.
        final ConfigException ex = assertThrows(ConfigException.class, () -> WorldResolver.resolve(cluster(2, -1, "t"),
            Map.of("RANK", "0", "WORLD_SIZE", "3"), true));
        assertTrue(ex.getMessage().startsWith("environment: WORLD_SIZE: expected 2 (cluster.nodes; pass --set " +
            "cluster.nodes=3 to run 3 nodes, or leave cluster.nodes out"), ex.getMessage());
        assertThrows(ConfigException.class, () -> WorldResolver.resolve(cluster(1, -1, "t"),
            Map.of("RANK", "0", "WORLD_SIZE", "300"), false), "at most 256 nodes");
    }

    @Test
    void theStepNodeListComesFirst()
    {
        // srun -N2 -w node[03-04] inside a 4-node allocation: task 0 runs on node03 (R2-5).
        final World world = WorldResolver.resolve(cluster(2, -1, "t"), Map.of("SLURM_PROCID", "1",
            "SLURM_NTASKS", "2", "SLURM_STEP_ID", "0", "SLURM_STEP_NODELIST", "node[03-04]",
            "SLURM_NODELIST", "node[01-04]", "SLURM_JOB_NODELIST", "node[01-04]"));
        assertEquals("node03", world.masterHost());
        assertEquals("node01", WorldResolver.resolve(cluster(2, -1, "t"), Map.of("SLURM_PROCID", "1",
            "SLURM_NTASKS", "2", "SLURM_NODELIST", "node[01-04]", "SLURM_JOB_NODELIST", "node[05-08]")).masterHost());
    }

    @Test
    void aBatchScriptsOneNodeRunIgnoresSlurm()
    {
        // sbatch's batch step sets SLURM_PROCID and SLURM_NTASKS but no SLURM_STEP_ID.
        final Map<String, String> batch = Map.of("SLURM_PROCID", "0", "SLURM_NTASKS", "4", "SLURM_NODELIST", "n[1-4]");
        assertTrue(WorldResolver.resolve(cluster(1, -1, ""), batch, false).isSingle());
        assertTrue(WorldResolver.resolve(cluster(1, -1, ""), batch, true).isSingle());
        assertEquals(4, WorldResolver.resolve(cluster(4, -1, "t"), batch, true).nodes(),
            "with cluster.nodes > 1 the variables still place the node");
    }

    @Test
    void yamlRankWhenTheEnvironmentHasNone()
    {
        final World world = WorldResolver.resolve(cluster(3, 2, "t"), Map.of());
        assertEquals(new World(2, 3, 0, "10.0.0.1", 29500, "yaml-job", "t"), world);
    }

    @Test
    void missingTokenFallsBackToTheOpenTokenForSeveralNodes()
    {
        final World world = WorldResolver.resolve(cluster(2, 0, ""), Map.of("TRIBUTARY_TOKEN", ""));
        assertEquals(WorldResolver.OPEN_TOKEN, world.token());
        assertTrue(WorldResolver.isOpen(world));
    }

    @Test
    void worldSizeMustEqualClusterNodes()
    {
        assertError("environment: WORLD_SIZE: expected 2 (cluster.nodes; pass --set cluster.nodes=4", cluster(2, -1, "t"),
            Map.of("RANK", "0", "WORLD_SIZE", "4"));
        assertError("environment: SLURM_NTASKS: expected 2", cluster(2, -1, "t"),
            Map.of("SLURM_PROCID", "0", "SLURM_NTASKS", "3"));
        assertError("environment: WORLD_SIZE: expected 1", cluster(1, -1, "t"), Map.of("WORLD_SIZE", "2"));
    }

    @Test
    void rankOutOfRangeOrNotANumber()
    {
        assertError("environment: RANK: expected 0..1 for 2 nodes, got 2", cluster(2, -1, "t"),
            Map.of("RANK", "2", "WORLD_SIZE", "2"));
        assertError("environment: RANK: expected 0..1 for 2 nodes, got -1", cluster(2, -1, "t"), Map.of("RANK", "-1"));
        assertError("environment: SLURM_PROCID: expected an integer, got 'x'", cluster(2, -1, "t"),
            Map.of("SLURM_PROCID", "x"));
        assertError("environment: LOCAL_RANK: expected 0 or more, got -3", cluster(2, -1, "t"),
            Map.of("RANK", "0", "LOCAL_RANK", "-3"));
    }

    @Test
    void missingRankForSeveralNodes()
    {
        assertError("configuration: cluster.node_rank: this node's rank is missing for 2 nodes: set RANK",
            cluster(2, -1, "t"), Map.of());
        assertError("environment: RANK: this node's rank is missing", cluster(2, -1, "t"), Map.of("WORLD_SIZE", "2"));
    }

    @Test
    void badPortsAndAddresses()
    {
        assertError("environment: MASTER_PORT: expected a UDP port 1..65535, got 70000", cluster(2, 0, "t"),
            Map.of("MASTER_PORT", "70000"));
        assertError("environment: MASTER_PORT: expected an integer, got 'http'", cluster(2, 0, "t"),
            Map.of("MASTER_PORT", "http"));
        assertError("environment: MASTER_ADDR: expected the host of node 0", cluster(2, 0, "t"),
            Map.of("MASTER_ADDR", " "));
        assertError("configuration: cluster.master_port: the sharded scheme uses ports 65534..65537", sharded(4, 65534),
            Map.of());
        assertError("environment: MASTER_PORT: the sharded scheme uses ports 65535..65536", sharded(2, 1),
            Map.of("MASTER_PORT", "65535"));
        assertEquals(65534, WorldResolver.resolve(sharded(2, 65534), Map.of()).masterPort(), "65534..65535 fits");
    }

    @Test
    void badJobAndNodeList()
    {
        assertError("environment: TRIBUTARY_JOB: expected 1-64 characters", cluster(2, 0, "t"),
            Map.of("TRIBUTARY_JOB", "a b"));
        assertError("environment: SLURM_NODELIST: cannot read host list 'n[1-'", cluster(2, -1, "t"),
            Map.of("SLURM_PROCID", "0", "SLURM_NODELIST", "n[1-"));
    }

    private static void assertError(final String start, final ClusterConfig cluster, final Map<String, String> env)
    {
        final ConfigException ex = assertThrows(ConfigException.class, () -> WorldResolver.resolve(cluster, env));
        assertTrue(ex.getMessage().startsWith(start), ex.getMessage() + "\ndoes not start with\n" + start);
    }
}
