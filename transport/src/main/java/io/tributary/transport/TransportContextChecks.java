package io.tributary.transport;

import java.util.regex.Pattern;

/**
 * The checks {@link TransportContext#conclude()} makes before a transport starts, in a fixed order so that
 * the first bad setting is the one named.
 */
final class TransportContextChecks
{
    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private TransportContextChecks()
    {
    }

    /**
     * @throws IllegalArgumentException naming the first bad setting
     */
    static void check(final TransportContext ctx)
    {
        final String jobId = ctx.jobId();
        final String token = ctx.token();
        final int worldSize = ctx.worldSize();
        final int rank = ctx.rank();
        final String rendezvousEndpoint = ctx.rendezvousEndpoint();
        final String nodeId = ctx.nodeId();
        final int dataPort = ctx.dataPort();
        final int mtu = ctx.mtu();
        final int termLength = ctx.termLength();

        require(jobId != null && JOB_ID.matcher(jobId).matches(),
            "jobId must be 1-64 characters of [A-Za-z0-9_.-], got " + jobId);
        require(token != null && !token.isEmpty() && token.length() <= TransportContext.MAX_TOKEN_LENGTH,
            "token must be 1-" + TransportContext.MAX_TOKEN_LENGTH + " characters for job " + jobId);
        require(worldSize >= 1 && worldSize <= TransportContext.MAX_WORLD_SIZE,
            "worldSize must be in [1, " + TransportContext.MAX_WORLD_SIZE + "], got " + worldSize);
        require(rank >= 0 && rank < worldSize, "rank must be in [0, " + worldSize + "), got " + rank);
        require(worldSize == 1 || rendezvousEndpoint != null, "rendezvousEndpoint (host:port of rank 0) must be set");
        if (rendezvousEndpoint != null)
        {
            Endpoints.port(rendezvousEndpoint, "rendezvousEndpoint");
        }
        require(nodeId != null && !nodeId.isEmpty() && nodeId.length() <= 256, "nodeId must be 1-256 characters");
        require(dataPort >= 0 && dataPort <= 65535, "dataPort must be in [0, 65535], got " + dataPort);
        require(mtu >= 1024 && mtu <= 65504 && mtu % 32 == 0, "mtu must be a multiple of 32 in [1024, 65504], got " +
            mtu);
        require(Integer.bitCount(termLength) == 1 && termLength >= 64 * 1024 && termLength <= 1 << 30,
            "termLength must be a power of two in [64 KiB, 1 GiB], got " + termLength);
        require(termLength / 8 >= mtu, "termLength " + termLength + " must be at least 8 x mtu " + mtu);
        require(ctx.receiverWindowLength() <= ctx.socketBufferLength(),
            "receiverWindowLength " + ctx.receiverWindowLength() + " must not exceed socketBufferLength " +
            ctx.socketBufferLength());
        require(ctx.collectiveTimeoutNs() > 0 && ctx.rendezvousTimeoutNs() > 0, "timeouts must be positive");
        require(ctx.launchDriver() || ctx.driverDirectory() != null,
            "launchDriver=false needs the driverDirectory of a running driver");
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException("TransportContext: " + message);
        }
    }
}
