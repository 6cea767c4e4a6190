package io.tributary.transport;

import io.aeron.driver.ThreadingMode;
import org.agrona.concurrent.IdleStrategy;

/**
 * Settings of one rank's transport, Aeron style: fluent setters, getters of the same name, and
 * {@link #conclude()} which validates once at start. The defaults and the measurements behind them are in
 * {@link TransportDefaults}; the checks are in {@link TransportContextChecks}.
 * Every rank of a job must use the same MTU; rank 0 refuses a join that differs. Use one context per
 * {@link Transport}: it holds the idle strategies, which keep state.
 */
public final class TransportContext
{
    /** Largest world the plan arrays are sized for. */
    public static final int MAX_WORLD_SIZE = 256;
    /** Keeps a join (job id, token, node id, endpoint) well inside one control message. */
    public static final int MAX_TOKEN_LENGTH = 256;
    /** {@link #mtu(int)}'s default: the data address's interface decides ({@link PathMtu}) when concluded. */
    public static final int AUTO_MTU = 0;

    private String jobId;
    private String token;
    private int rank = -1;
    private int worldSize = -1;
    private String nodeId = "localhost";
    private String rendezvousEndpoint;
    private String dataHost = "127.0.0.1";
    private int dataPort = 0;
    private boolean ipc = false;
    private boolean launchDriver = true;
    private boolean closeOnShutdown = true;
    private String driverDirectory;
    private String driverBaseDirectory = TransportDefaults.baseDirectory();
    private ThreadingMode threadingMode = ThreadingMode.SHARED;
    private int mtu = AUTO_MTU;
    private int termLength = TransportDefaults.TERM_LENGTH;
    private int socketBufferLength = TransportDefaults.SOCKET_BUFFER_LENGTH;
    private int receiverWindowLength = TransportDefaults.RECEIVER_WINDOW_LENGTH;
    private long clientLivenessTimeoutNs = TransportDefaults.CLIENT_LIVENESS_TIMEOUT_NS;
    private long imageLivenessTimeoutNs = TransportDefaults.IMAGE_LIVENESS_TIMEOUT_NS;
    private long publicationConnectionTimeoutNs = TransportDefaults.PUBLICATION_CONNECTION_TIMEOUT_NS;
    private long driverTimeoutMs = TransportDefaults.DRIVER_TIMEOUT_MS;
    private long timerIntervalNs = TransportDefaults.TIMER_INTERVAL_NS;
    private long rendezvousTimeoutNs = TransportDefaults.RENDEZVOUS_TIMEOUT_NS;
    private long collectiveTimeoutNs = TransportDefaults.COLLECTIVE_TIMEOUT_NS;
    private IdleStrategy idleStrategy;
    private IdleStrategy driverIdleStrategy;
    private boolean concluded;

    /**
     * Checks every setting and fills the derived ones ({@link ContextDefaults}). Called by
     * {@link Transport#connect(TransportContext)}; a second call does nothing.
     *
     * @return this
     * @throws IllegalArgumentException naming the first bad setting
     */
    public TransportContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        ContextDefaults.beforeChecks(this);
        TransportContextChecks.check(this);
        ContextDefaults.afterChecks(this);
        concluded = true;
        return this;
    }

    /** Name of the job; frames and joins of other jobs are refused. Also names the driver directory. */
    public TransportContext jobId(final String jobId)
    {
        this.jobId = jobId;
        return this;
    }

    public String jobId()
    {
        return jobId;
    }

    /** Shared secret every rank must present to rank 0; never logged. */
    public TransportContext token(final String token)
    {
        this.token = token;
        return this;
    }

    public String token()
    {
        return token;
    }

    public TransportContext rank(final int rank)
    {
        this.rank = rank;
        return this;
    }

    public int rank()
    {
        return rank;
    }

    public TransportContext worldSize(final int worldSize)
    {
        this.worldSize = worldSize;
        return this;
    }

    public int worldSize()
    {
        return worldSize;
    }

    /** Free text naming the machine; reported in the world view. */
    public TransportContext nodeId(final String nodeId)
    {
        this.nodeId = nodeId;
        return this;
    }

    public String nodeId()
    {
        return nodeId;
    }

    /** host:port where rank 0 listens; rank 0 also receives its data there. */
    public TransportContext rendezvousEndpoint(final String rendezvousEndpoint)
    {
        this.rendezvousEndpoint = rendezvousEndpoint;
        return this;
    }

    public String rendezvousEndpoint()
    {
        return rendezvousEndpoint;
    }

    /** Address other ranks reach this one at (ranks other than 0). */
    public TransportContext dataHost(final String dataHost)
    {
        this.dataHost = dataHost;
        return this;
    }

    public String dataHost()
    {
        return dataHost;
    }

    /** UDP port this rank receives on (ranks other than 0); 0 lets the OS choose. */
    public TransportContext dataPort(final int dataPort)
    {
        this.dataPort = dataPort;
        return this;
    }

    public int dataPort()
    {
        return dataPort;
    }

    /** Data and control over aeron:ipc; every rank must then use the same driver (same driverDirectory). */
    public TransportContext ipc(final boolean ipc)
    {
        this.ipc = ipc;
        return this;
    }

    public boolean ipc()
    {
        return ipc;
    }

    /** Start an embedded media driver (default), or connect to the one running in driverDirectory. */
    public TransportContext launchDriver(final boolean launchDriver)
    {
        this.launchDriver = launchDriver;
        return this;
    }

    public boolean launchDriver()
    {
        return launchDriver;
    }

    /** Close from a JVM shutdown hook (default); off where an owner closes several in order from its own hook. */
    public TransportContext closeOnShutdown(final boolean closeOnShutdown)
    {
        this.closeOnShutdown = closeOnShutdown;
        return this;
    }

    public boolean closeOnShutdown()
    {
        return closeOnShutdown;
    }

    /** Aeron directory; default {@code <base>/tributary-<job>-r<rank>-<pid>}. */
    public TransportContext driverDirectory(final String driverDirectory)
    {
        this.driverDirectory = driverDirectory;
        return this;
    }

    public String driverDirectory()
    {
        return driverDirectory;
    }

    /** Where own driver directories are made and stale ones cleaned; default /dev/shm. */
    public TransportContext driverBaseDirectory(final String driverBaseDirectory)
    {
        this.driverBaseDirectory = driverBaseDirectory;
        return this;
    }

    public String driverBaseDirectory()
    {
        return driverBaseDirectory;
    }

    /** Threading of the embedded driver; SHARED (one thread) suits machines with few cores. */
    public TransportContext threadingMode(final ThreadingMode threadingMode)
    {
        this.threadingMode = threadingMode;
        return this;
    }

    public ThreadingMode threadingMode()
    {
        return threadingMode;
    }

    /**
     * Largest data frame: every rank of a job must use the same. Default {@link #AUTO_MTU}: the largest frame that
     * crosses the interface of {@link #dataHost()} unfragmented, or 65504 on loopback.
     */
    public TransportContext mtu(final int mtu)
    {
        this.mtu = mtu;
        return this;
    }

    public int mtu()
    {
        return mtu;
    }

    public TransportContext termLength(final int termLength)
    {
        this.termLength = termLength;
        return this;
    }

    public int termLength()
    {
        return termLength;
    }

    /** SO_SNDBUF and SO_RCVBUF of the driver's sockets. */
    public TransportContext socketBufferLength(final int socketBufferLength)
    {
        this.socketBufferLength = socketBufferLength;
        return this;
    }

    public int socketBufferLength()
    {
        return socketBufferLength;
    }

    /** Initial flow-control window a receiver grants. */
    public TransportContext receiverWindowLength(final int receiverWindowLength)
    {
        this.receiverWindowLength = receiverWindowLength;
        return this;
    }

    public int receiverWindowLength()
    {
        return receiverWindowLength;
    }

    public TransportContext clientLivenessTimeoutNs(final long clientLivenessTimeoutNs)
    {
        this.clientLivenessTimeoutNs = clientLivenessTimeoutNs;
        return this;
    }

    public long clientLivenessTimeoutNs()
    {
        return clientLivenessTimeoutNs;
    }

    /** How long an image may stay silent before it is dropped: the lower bound of peer-loss detection. */
    public TransportContext imageLivenessTimeoutNs(final long imageLivenessTimeoutNs)
    {
        this.imageLivenessTimeoutNs = imageLivenessTimeoutNs;
        return this;
    }

    public long imageLivenessTimeoutNs()
    {
        return imageLivenessTimeoutNs;
    }

    public TransportContext publicationConnectionTimeoutNs(final long publicationConnectionTimeoutNs)
    {
        this.publicationConnectionTimeoutNs = publicationConnectionTimeoutNs;
        return this;
    }

    public long publicationConnectionTimeoutNs()
    {
        return publicationConnectionTimeoutNs;
    }

    public TransportContext driverTimeoutMs(final long driverTimeoutMs)
    {
        this.driverTimeoutMs = driverTimeoutMs;
        return this;
    }

    public long driverTimeoutMs()
    {
        return driverTimeoutMs;
    }

    public TransportContext timerIntervalNs(final long timerIntervalNs)
    {
        this.timerIntervalNs = timerIntervalNs;
        return this;
    }

    public long timerIntervalNs()
    {
        return timerIntervalNs;
    }

    /**
     * How long rank 0 waits for every rank to join. A joining rank waits 3 s longer for the world view, so
     * that it still hears rank 0's verdict when rank 0 started a little after it.
     */
    public TransportContext rendezvousTimeoutNs(final long rendezvousTimeoutNs)
    {
        this.rendezvousTimeoutNs = rendezvousTimeoutNs;
        return this;
    }

    public long rendezvousTimeoutNs()
    {
        return rendezvousTimeoutNs;
    }

    /** Deadline of one collective call, start to finish. */
    public TransportContext collectiveTimeoutNs(final long collectiveTimeoutNs)
    {
        this.collectiveTimeoutNs = collectiveTimeoutNs;
        return this;
    }

    public long collectiveTimeoutNs()
    {
        return collectiveTimeoutNs;
    }

    /** How the collective loop waits when there is nothing to do; default backs off from spin to 200 us park. */
    public TransportContext idleStrategy(final IdleStrategy idleStrategy)
    {
        this.idleStrategy = idleStrategy;
        return this;
    }

    public IdleStrategy idleStrategy()
    {
        return idleStrategy;
    }

    /**
     * Idle strategy of the embedded driver in SHARED mode. Aeron's default parks up to 1 ms, which adds up
     * to a millisecond to every hop of a ring; the default here parks at most 100 us.
     */
    public TransportContext driverIdleStrategy(final IdleStrategy driverIdleStrategy)
    {
        this.driverIdleStrategy = driverIdleStrategy;
        return this;
    }

    public IdleStrategy driverIdleStrategy()
    {
        return driverIdleStrategy;
    }
}
