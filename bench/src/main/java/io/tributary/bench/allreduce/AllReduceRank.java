package io.tributary.bench.allreduce;

import io.tributary.transport.Collective;
import io.tributary.transport.Transport;
import io.tributary.transport.TransportContext;

import java.util.concurrent.TimeUnit;

/**
 * One rank of the allreduce benchmark, started by {@link AllReduceLauncher}:
 * {@code MODE JOB RANK NP PORT DRIVER_DIR BUDGET_BYTES SIZE_BYTES...}. Per size it checks one exact sum, warms up,
 * then times in-place allreduces; rank 0 prints {@code RESULT tributary-MODE NP SIZE SECONDS_PER_OP} with the
 * slowest rank's mean, as nccl-tests and the MPI peer do. System properties for experiments and for
 * bench/allreduce/netns.sh: bench.rendezvousHost, bench.dataHost, bench.mtu, bench.window,
 * bench.driverParkUs, bench.parkUs, bench.idle=yield, bench.threading.
 */
public final class AllReduceRank
{
    private AllReduceRank()
    {
    }

    public static void main(final String[] args)
    {
        final String mode = args[0];
        final int rank = Integer.parseInt(args[2]);
        final int np = Integer.parseInt(args[3]);
        final long budget = Long.parseLong(args[6]);
        final TransportContext ctx = new TransportContext()
            .jobId(args[1]).token("bench").rank(rank).worldSize(np)
            .rendezvousEndpoint(System.getProperty("bench.rendezvousHost", "127.0.0.1") + ":" + args[4])
            .dataHost(System.getProperty("bench.dataHost", "127.0.0.1"))
            .collectiveTimeoutNs(TimeUnit.SECONDS.toNanos(120));
        // Experiment knobs; the defaults are TransportContext's.
        if (System.getProperty("bench.window") != null)
        {
            ctx.receiverWindowLength(Integer.getInteger("bench.window"));
        }
        if (System.getProperty("bench.mtu") != null)
        {
            ctx.mtu(Integer.getInteger("bench.mtu"));
        }
        if (System.getProperty("bench.threading") != null)
        {
            ctx.threadingMode(io.aeron.driver.ThreadingMode.valueOf(System.getProperty("bench.threading")));
        }
        if (System.getProperty("bench.parkUs") != null)
        {
            ctx.idleStrategy(new org.agrona.concurrent.BackoffIdleStrategy(50, 10, 1000,
                1000L * Integer.getInteger("bench.parkUs")));
        }
        if ("yield".equals(System.getProperty("bench.idle")))
        {
            ctx.idleStrategy(new org.agrona.concurrent.YieldingIdleStrategy());
        }
        if (System.getProperty("bench.driverParkUs") != null)
        {
            ctx.driverIdleStrategy(new org.agrona.concurrent.BackoffIdleStrategy(10, 20, 1000,
                1000L * Integer.getInteger("bench.driverParkUs")));
        }
        if (mode.equals("ipc"))
        {
            ctx.ipc(true).launchDriver(false).driverDirectory(args[5]);
        }
        try (Transport transport = Transport.connect(ctx))
        {
            final Collective collective = transport.collective();
            final float[] times = new float[np];
            final int[] counts = new int[np];
            for (int a = 7; a < args.length; a++)
            {
                final long bytes = Long.parseLong(args[a]);
                final float[] data = new float[(int)(bytes / Float.BYTES)];
                java.util.Arrays.fill(data, 1f);
                collective.allReduce(data);
                for (final float v : data)
                {
                    if (v != np)
                    {
                        throw new IllegalStateException("rank " + rank + ": wrong sum " + v + " for " + bytes +
                            " bytes");
                    }
                }
                java.util.Arrays.fill(data, 0f);
                final int iterations = (int)Math.max(5, Math.min(1000, budget / bytes));
                for (int w = 0; w < 2 + iterations / 10; w++)
                {
                    collective.allReduce(data);
                }
                collective.barrier();
                final long start = System.nanoTime();
                for (int i = 0; i < iterations; i++)
                {
                    collective.allReduce(data);
                }
                final float seconds = (System.nanoTime() - start) / 1e9f / iterations;
                collective.allGather(new float[]{ seconds }, 1, times, counts);
                float slowest = 0;
                for (final float t : times)
                {
                    slowest = Math.max(slowest, t);
                }
                if (rank == 0)
                {
                    System.out.printf("RESULT tributary-%s %d %d %.9f%n", mode, np, bytes, slowest);
                    System.out.flush();
                }
            }
            System.err.println("rank " + rank + " " + collective.metrics().summary().replace('\n', ';'));
        }
    }
}
