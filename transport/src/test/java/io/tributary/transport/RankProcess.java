package io.tributary.transport;

import java.util.concurrent.TimeUnit;

/**
 * One rank in its own JVM, for {@link MultiProcessTest}: {@code sum JOB RANK WORLD PORT} checks exact sums
 * and prints OK; {@code loop JOB RANK WORLD PORT DEADLINE_MS} allreduces until a peer is lost, then prints
 * {@code LOST <rank> <epoch ms>}, closes and returns from main (a leaked thread would keep the JVM alive);
 * {@code watch} runs no collective and reports a lost peer the same way through {@link Transport#checkPeers()}.
 * An optional seventh argument, a driver directory, makes the rank use IPC on that (shared) driver.
 */
public final class RankProcess
{
    private RankProcess()
    {
    }

    public static void main(final String[] args)
    {
        final String mode = args[0];
        final int rank = Integer.parseInt(args[2]);
        final int world = Integer.parseInt(args[3]);
        final TransportContext ctx = new TransportContext()
            .jobId(args[1]).token("secret").rank(rank).worldSize(world)
            .rendezvousEndpoint("127.0.0.1:" + args[4])
            .termLength(2 * 1024 * 1024)
            .rendezvousTimeoutNs(TimeUnit.SECONDS.toNanos(30))
            .collectiveTimeoutNs(TimeUnit.MILLISECONDS.toNanos(args.length > 5 ? Long.parseLong(args[5]) : 20_000));
        if (args.length > 6)
        {
            ctx.ipc(true).launchDriver(false).driverDirectory(args[6]);
        }
        try (Transport transport = Transport.connect(ctx))
        {
            System.out.println("READY " + transport.driverDirectory());
            if (mode.equals("sum"))
            {
                sum(transport);
            }
            else if (mode.equals("idle"))
            {
                sleep(60_000);
            }
            else if (mode.equals("watch"))
            {
                watch(transport);
            }
            else
            {
                loop(transport);
            }
        }
        System.out.println("CLOSED");
    }

    private static void sum(final Transport transport)
    {
        final int world = transport.worldSize();
        int round = 0;
        for (final int length : new int[]{ 0, 1, world - 1, 1001, 70_001 })
        {
            round++;
            final float[] data = new float[length];
            for (int i = 0; i < length; i++)
            {
                data[i] = AllReduceTest.value(transport.rank(), i, round);
            }
            transport.collective().allReduce(data, length);
            final float[] expected = AllReduceTest.expectedSum(world, length, round);
            for (int i = 0; i < length; i++)
            {
                if (data[i] != expected[i])
                {
                    System.out.println("MISMATCH length " + length + " index " + i + ": " + data[i] + " != " + expected[i]);
                    return;
                }
            }
        }
        transport.collective().barrier();
        System.out.println(transport.collective().metrics().summary());
        System.out.println("OK");
    }

    /** Runs no collective: polls {@link Transport#checkPeers()} every 50 ms, as a trainer between chunks would. */
    private static void watch(final Transport transport)
    {
        final long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline)
        {
            try
            {
                transport.checkPeers();
            }
            catch (final PeerLostException ex)
            {
                System.out.println("LOST " + ex.lostRank() + " " + System.currentTimeMillis());
                return;
            }
            sleep(50);
        }
    }

    private static void sleep(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static void loop(final Transport transport)
    {
        final float[] data = new float[256 * 1024];
        try
        {
            for (int iteration = 1; ; iteration++)
            {
                transport.collective().allReduce(data);
                if (iteration <= 3)
                {
                    System.out.println("ITER " + iteration);
                }
            }
        }
        catch (final PeerLostException ex)
        {
            System.out.println("LOST " + ex.lostRank() + " " + System.currentTimeMillis() + " " + ex.getMessage());
        }
    }
}
