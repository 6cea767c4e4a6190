package io.tributary.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadlineTest
{
    @Test
    void aRankThatNeverCallsMakesItsNeighbourFailAtTheDeadlineNamingItAndTheCollectiveStaysFailed() throws Exception
    {
        final long deadlineMs = 1000;
        try (LocalRing ring = LocalRing.start(2, ctx -> ctx.collectiveTimeoutNs(TimeUnit.MILLISECONDS.toNanos(deadlineMs))))
        {
            final List<Object> outcomes = ring.onEveryRank(transport ->
            {
                if (transport.rank() == 1)
                {
                    return null;
                }
                final long start = System.nanoTime();
                final PeerLostException ex = assertThrows(PeerLostException.class,
                    () -> transport.collective().allReduce(new float[1000]));
                final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertEquals(1, ex.lostRank());
                assertTrue(ex.getMessage().contains("missed its deadline waiting for chunk 0 of receive step 0 from rank 1"),
                    ex.getMessage());
                assertTrue(tookMs >= deadlineMs && tookMs < deadlineMs + 2000, "failed after " + tookMs + " ms");
                final TransportException again = assertThrows(TransportException.class,
                    () -> transport.collective().barrier());
                assertTrue(again.getMessage().contains("collective failed earlier"), again.getMessage());
                return ex;
            });
            assertTrue(outcomes.get(0) instanceof PeerLostException);
        }
    }

    /** Over IPC too: there a killed rank's streams also end cleanly, so only the LEAVE tells a close. */
    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void aRankThatClosesIsNamedByThePeersThatStillNeedItLongBeforeTheDeadline(final boolean ipc) throws Exception
    {
        try (LocalRing ring = LocalRing.start(3, ctx -> ctx.ipc(ipc).collectiveTimeoutNs(TimeUnit.SECONDS.toNanos(30))))
        {
            ring.onEveryRank(transport ->
            {
                transport.collective().barrier();
                return null;
            });
            final List<Object> outcomes = ring.onEveryRank(transport ->
            {
                if (transport.rank() == 2)
                {
                    transport.close();
                    return null;
                }
                final long start = System.nanoTime();
                final PeerLostException ex = assertThrows(PeerLostException.class,
                    () -> transport.collective().allReduce(new float[1000]));
                final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertEquals(2, ex.lostRank(), ex.getMessage());
                assertTrue(ex.getMessage().contains("rank 2 (") && ex.getMessage().contains("closed its transport"), ex.getMessage());
                assertTrue(tookMs < 8000, "noticed after " + tookMs + " ms, the deadline is 30000");
                return tookMs;
            });
            System.out.println("a closed rank was named after " + outcomes.subList(0, 2) + " ms");
        }
    }

    @Test
    void closingFromAnotherThreadStopsARunningCollectiveFirst() throws Exception
    {
        try (LocalRing ring = LocalRing.start(2, ctx -> ctx.collectiveTimeoutNs(TimeUnit.SECONDS.toNanos(30))))
        {
            final Transport transport = ring.transports[0];
            final java.util.concurrent.CompletableFuture<Throwable> outcome = new java.util.concurrent.CompletableFuture<>();
            final Thread caller = new Thread(() ->
            {
                try
                {
                    transport.collective().allReduce(new float[100_000]);
                    outcome.complete(null);
                }
                catch (final Throwable ex)
                {
                    outcome.complete(ex);
                }
            });
            caller.start();
            Thread.sleep(300);
            final long start = System.nanoTime();
            transport.close();
            final Throwable thrown = outcome.get(5, TimeUnit.SECONDS);
            assertTrue(thrown instanceof TransportException && thrown.getMessage().contains("transport closed during"),
                String.valueOf(thrown));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3), "close did not wait for the deadline");
        }
    }

    /**
     * Both ranks loop on a 16 MB allreduce, so rank 0 is closed while frames are being claimed, copied and
     * summed in its log buffers: its caller must leave with TransportException (and the JVM must not crash),
     * and rank 1 must name rank 0.
     */
    @Test
    void closingWhileFramesFlowStopsTheCallerAndThePeerNamesTheClosedRank() throws Exception
    {
        try (LocalRing ring = LocalRing.start(2, ctx -> ctx.collectiveTimeoutNs(TimeUnit.SECONDS.toNanos(30))))
        {
            final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
            final List<java.util.concurrent.CompletableFuture<Throwable>> outcomes = List.of(
                new java.util.concurrent.CompletableFuture<>(), new java.util.concurrent.CompletableFuture<>());
            for (int r = 0; r < 2; r++)
            {
                final int rank = r;
                final Thread thread = new Thread(() ->
                {
                    final float[] data = new float[4 * 1024 * 1024];
                    try
                    {
                        while (true)
                        {
                            ring.transports[rank].collective().allReduce(data);
                            if (rank == 0)
                            {
                                calls.incrementAndGet();
                            }
                        }
                    }
                    catch (final Throwable ex)
                    {
                        outcomes.get(rank).complete(ex);
                    }
                }, "rank-" + rank);
                thread.setDaemon(true);
                thread.start();
            }
            final long waitStart = System.nanoTime();
            while (calls.get() < 3)
            {
                assertTrue(System.nanoTime() - waitStart < TimeUnit.SECONDS.toNanos(30), "the ranks never got going");
                Thread.sleep(5);
            }
            // Close right after rank 0 was seen sending, so frames are being claimed and copied.
            final long sentBefore = ring.transports[0].collective().metrics().bytesSent();
            while (ring.transports[0].collective().metrics().bytesSent() == sentBefore)
            {
                assertTrue(System.nanoTime() - waitStart < TimeUnit.SECONDS.toNanos(30), "rank 0 stopped sending");
                Thread.onSpinWait();
            }
            final long start = System.nanoTime();
            ring.transports[0].close();
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3), "close waited for the caller to leave");

            final Throwable closed = outcomes.get(0).get(5, TimeUnit.SECONDS);
            assertTrue(closed instanceof TransportException && closed.getMessage().contains("transport closed"),
                String.valueOf(closed));
            final Throwable peer = outcomes.get(1).get(15, TimeUnit.SECONDS);
            assertTrue(peer instanceof PeerLostException && ((PeerLostException)peer).lostRank() == 0, String.valueOf(peer));
        }
    }
}
