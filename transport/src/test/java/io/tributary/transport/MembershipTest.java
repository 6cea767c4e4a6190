package io.tributary.transport;

import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MembershipTest
{
    @Test
    void joinWithWrongTokenOrJobIsRefusedAndTheRealRanksStillFormTheJob() throws Exception
    {
        final String jobId = LocalRing.newJobId("token");
        final int port = LocalRing.freeUdpPort();
        final ExecutorService threads = Executors.newFixedThreadPool(4);
        try (EmbeddedDriver driver = EmbeddedDriver.launch(LocalRing.testContext(jobId, 0, 1, port)))
        {
            final Future<Transport> rank0 = threads.submit(() -> Transport.connect(
                LocalRing.testContext(jobId, 0, 2, port).launchDriver(false).driverDirectory(driver.directory())));
            final Future<TransportException> intruder = threads.submit(() -> assertThrows(TransportException.class,
                () -> Transport.connect(LocalRing.testContext(jobId, 1, 2, port).token("guess")
                    .launchDriver(false).driverDirectory(driver.directory()))));
            final Future<TransportException> otherJob = threads.submit(() -> assertThrows(TransportException.class,
                () -> Transport.connect(LocalRing.testContext("someone-else", 1, 2, port)
                    .launchDriver(false).driverDirectory(driver.directory()))));
            final String intruderMessage = intruder.get(30, TimeUnit.SECONDS).getMessage();
            assertTrue(intruderMessage.contains("refused by rank 0: wrong token"), intruderMessage);
            assertTrue(otherJob.get(30, TimeUnit.SECONDS).getMessage().contains("job id 'someone-else'"));

            try (Transport rank1 = Transport.connect(
                LocalRing.testContext(jobId, 1, 2, port).launchDriver(false).driverDirectory(driver.directory()));
                Transport zero = rank0.get(30, TimeUnit.SECONDS))
            {
                assertEquals(2, zero.refusedJoins());
                final float[] one = { 1f };
                final Future<?> sum0 = threads.submit(() -> zero.collective().allReduce(new float[]{ 2f }));
                rank1.collective().allReduce(one);
                sum0.get(30, TimeUnit.SECONDS);
                assertEquals(3f, one[0]);
            }
        }
        finally
        {
            threads.shutdownNow();
        }
    }

    @Test
    void missingRankFailsEveryJoinedRankWithOneMessageListingIt() throws Exception
    {
        final String jobId = LocalRing.newJobId("missing");
        final int port = LocalRing.freeUdpPort();
        final ExecutorService threads = Executors.newFixedThreadPool(2);
        try (EmbeddedDriver driver = EmbeddedDriver.launch(LocalRing.testContext(jobId, 0, 1, port)))
        {
            // Equal timeouts and the joiner first: its own deadline passes before rank 0's, yet it must
            // still hear rank 0's abort naming the missing ranks.
            final long start = System.nanoTime();
            final Future<TransportException> rank2 = threads.submit(() -> assertThrows(TransportException.class,
                () -> Transport.connect(LocalRing.testContext(jobId, 2, 4, port).rendezvousTimeoutNs(TimeUnit.SECONDS.toNanos(2))
                    .launchDriver(false).driverDirectory(driver.directory()))));
            Thread.sleep(300);
            final Future<TransportException> rank0 = threads.submit(() -> assertThrows(TransportException.class,
                () -> Transport.connect(LocalRing.testContext(jobId, 0, 4, port).rendezvousTimeoutNs(TimeUnit.SECONDS.toNanos(2))
                    .launchDriver(false).driverDirectory(driver.directory()))));
            final String message0 = rank0.get(30, TimeUnit.SECONDS).getMessage();
            final String message2 = rank2.get(30, TimeUnit.SECONDS).getMessage();
            assertTrue(message0.contains("ranks [1, 3] did not join"), message0);
            assertEquals(message0, message2, "rank 2 learns the same reason from rank 0");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(8), "rank 2 fails with rank 0");
        }
        finally
        {
            threads.shutdownNow();
        }
    }

    /**
     * A refused join whose sender cannot be reached (nothing listens at its endpoint) must not hold rank 0
     * past its rendezvous deadline: the refusal is answered without blocking the join loop.
     */
    @Test
    void unreachableRefusedJoinerDoesNotDelayRankZerosDeadline() throws Exception
    {
        final String jobId = LocalRing.newJobId("refused");
        final int port = LocalRing.freeUdpPort();
        final ExecutorService threads = Executors.newFixedThreadPool(1);
        try (EmbeddedDriver driver = EmbeddedDriver.launch(LocalRing.testContext(jobId, 0, 1, port));
            io.aeron.Aeron intruder = io.aeron.Aeron.connect(new io.aeron.Aeron.Context().aeronDirectoryName(driver.directory()));
            io.aeron.ExclusivePublication joins = intruder.addExclusivePublication(
                "aeron:udp?endpoint=127.0.0.1:" + port + "|mtu=8192|term-length=65536", Channels.JOIN_STREAM))
        {
            final long start = System.nanoTime();
            final Future<TransportException> rank0 = threads.submit(() -> assertThrows(TransportException.class,
                () -> Transport.connect(LocalRing.testContext(jobId, 0, 2, port).rendezvousTimeoutNs(TimeUnit.MILLISECONDS.toNanos(500))
                    .launchDriver(false).driverDirectory(driver.directory()))));
            final MembershipMessages.Writer join = new MembershipMessages.Writer();
            join.type(MembershipMessages.JOIN).putInt(1).putInt(65504).putLong(7L).putString(jobId).putString("guess")
                .putString("nowhere").putString("127.0.0.1:" + LocalRing.freeUdpPort());
            while (joins.offer(join.buffer, 0, join.length) < 0)
            {
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "rank 0 never listened");
                Thread.sleep(1);
            }
            final String message = rank0.get(30, TimeUnit.SECONDS).getMessage();
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(message.contains("ranks [1] did not join"), message);
            assertTrue(elapsedMs < 1500, "rank 0 failed after " + elapsedMs + " ms with a 500 ms deadline");
        }
        finally
        {
            threads.shutdownNow();
        }
    }

    @Test
    void rankZeroOnABusyPortFailsNamingTheEndpoint() throws Exception
    {
        try (java.net.DatagramSocket busy = new java.net.DatagramSocket(new java.net.InetSocketAddress("127.0.0.1", 0)))
        {
            final String jobId = LocalRing.newJobId("busy");
            final TransportException ex = assertThrows(TransportException.class, () -> Transport.connect(
                LocalRing.testContext(jobId, 0, 2, busy.getLocalPort()).rendezvousTimeoutNs(TimeUnit.SECONDS.toNanos(2))));
            assertTrue(ex.getMessage().contains("rank 0: cannot receive at 127.0.0.1:" + busy.getLocalPort()), ex.getMessage());
            assertTrue(DriverDirectories.list(new TransportContext().driverBaseDirectory(), jobId).isEmpty(),
                "the driver started for the failed rank is gone with its directory");
        }
    }

    @Test
    void worldViewOfTheLargestWorldWithBudgetNamesFitsOneControlMessageOfRankZero()
    {
        final int n = TransportContext.MAX_WORLD_SIZE;
        final String[] endpoints = new String[n];
        final String[] nodeIds = new String[n];
        for (int q = 0; q < n; q++)
        {
            endpoints[q] = String.format("192.168.%03d.%03d:40123", q / 100, q % 100);
            nodeIds[q] = "n".repeat(Channels.WELCOME_CHARS_PER_RANK - endpoints[q].length());
        }
        final MembershipMessages.Writer writer = new MembershipMessages.Writer();
        MembershipMessages.writeWelcome(writer, 42L, endpoints, nodeIds);
        final int termLength = Channels.welcomeTermLength(n);
        assertEquals(256 * 1024, termLength, "the /dev/shm cost the README states");
        assertTrue(writer.length <= termLength / 8, writer.length + " bytes");
        assertTrue(writer.length > 64 * 1024 / 8, "a 64 KiB control term, as before, could not carry it");
        assertEquals(64 * 1024, Channels.welcomeTermLength(8), "small worlds keep the small term");
    }

    @Test
    void badSettingsAreRejectedWithTheirName()
    {
        final IllegalArgumentException token = assertThrows(IllegalArgumentException.class,
            () -> LocalRing.testContext("job", 0, 2, 40000).token("t".repeat(TransportContext.MAX_TOKEN_LENGTH + 1)).conclude());
        assertTrue(token.getMessage().contains("token must be 1-256 characters"), token.getMessage());
        final IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
            () -> LocalRing.testContext("job", 3, 2, 40000).conclude());
        assertTrue(rank.getMessage().contains("rank must be in [0, 2), got 3"), rank.getMessage());
        final IllegalArgumentException job = assertThrows(IllegalArgumentException.class,
            () -> LocalRing.testContext("bad/job", 0, 2, 40000).conclude());
        assertTrue(job.getMessage().contains("jobId"), job.getMessage());
        final IllegalArgumentException endpoint = assertThrows(IllegalArgumentException.class,
            () -> LocalRing.testContext("job", 0, 2, 40000).rendezvousEndpoint("localhost").conclude());
        assertTrue(endpoint.getMessage().contains("rendezvousEndpoint"), endpoint.getMessage());
    }
}
