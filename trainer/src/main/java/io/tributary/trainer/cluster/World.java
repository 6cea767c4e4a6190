package io.tributary.trainer.cluster;

/**
 * Where this process (one node) sits in the job: its rank among {@code nodes}, its rank among the nodes of its
 * host ({@code localRank}, torchrun's LOCAL_RANK), and how to reach rank 0's rendezvous. Resolved once at
 * start from the YAML {@code cluster} section and the environment.
 *
 * @param rank       this node, 0 .. nodes-1; node 0 is the rendezvous and writes the run's files
 * @param nodes      the number of node processes in the job
 * @param localRank  this node among the nodes of its host
 * @param masterHost host of node 0's rendezvous
 * @param masterPort rendezvous UDP port of the first ring; further rings use the following ports
 * @param jobId      names the job in frames and driver directories; joins of other jobs are refused
 * @param token      shared secret; a join with another token is refused
 */
public record World(int rank, int nodes, int localRank, String masterHost, int masterPort, String jobId, String token)
{
    /** One node alone: no transport is opened. */
    public static World single()
    {
        return new World(0, 1, 0, "127.0.0.1", 0, "tributary", "local");
    }

    public boolean isSingle()
    {
        return nodes == 1;
    }
}
