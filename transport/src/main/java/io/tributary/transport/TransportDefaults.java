package io.tributary.transport;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.io.File;
import java.util.concurrent.TimeUnit;

/**
 * Defaults of {@link TransportContext}, from measurements on a 2-core machine (see shared/NOTES.md):
 * <ul>
 * <li>MTU 65504 on loopback: the kernel moves ~130k datagrams/s whatever their size, so the largest datagram
 *     gives the most bandwidth (mtu 1408: ~170 MB/s; 65504 with 4 MiB buffers: ~600-1200 MB/s). On a network
 *     the interface's MTU less the headers ({@link PathMtu}): fragmented 64 KiB datagrams stalled training at
 *     100 Mbit/s behind a dropping queue.</li>
 * <li>Socket buffers and receiver window 4 MiB: net.core.rmem_max is 4 MiB here, and the window must cover
 *     the bandwidth-delay product.</li>
 * <li>Term length 8 MiB: a publication may run term/2 ahead of its receiver, so 8 MiB does not limit a
 *     4 MiB window, and each publication or image costs 3 terms of /dev/shm.</li>
 * <li>Image liveness and publication connection 2 s, timer 100 ms: a killed peer is noticed in ~2-3 s
 *     instead of Aeron's default 5-12 s, while a peer stalled by a loaded CPU for a second is not.</li>
 * </ul>
 */
final class TransportDefaults
{
    static final int MTU = 65504;
    static final int TERM_LENGTH = 8 * 1024 * 1024;
    static final int SOCKET_BUFFER_LENGTH = 4 * 1024 * 1024;
    static final int RECEIVER_WINDOW_LENGTH = 4 * 1024 * 1024;
    static final long CLIENT_LIVENESS_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);
    static final long IMAGE_LIVENESS_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(2);
    static final long PUBLICATION_CONNECTION_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(2);
    static final long DRIVER_TIMEOUT_MS = 5000;
    static final long TIMER_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    static final long RENDEZVOUS_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    static final long COLLECTIVE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    private TransportDefaults()
    {
    }

    /** /dev/shm where there is one, else java.io.tmpdir. */
    static String baseDirectory()
    {
        final File shm = new File("/dev/shm");
        return shm.isDirectory() ? shm.getPath() : System.getProperty("java.io.tmpdir");
    }

    /** Backs off from spinning to a 200 us park. A new one per transport: it keeps state. */
    static IdleStrategy idleStrategy()
    {
        return new BackoffIdleStrategy(50, 10, TimeUnit.MICROSECONDS.toNanos(1),
            TimeUnit.MICROSECONDS.toNanos(200));
    }

    /** Parks at most 100 us, where Aeron's default parks up to 1 ms per hop of a ring. */
    static IdleStrategy driverIdleStrategy()
    {
        return new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(1),
            TimeUnit.MICROSECONDS.toNanos(100));
    }
}
