package io.tributary.transport;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SteadyStateTest
{
    @Test
    void collectivesAllocateNothingAfterWarmUp() throws Exception
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        try (LocalRing ring = LocalRing.start(3, ctx -> {}))
        {
            final List<Long> allocated = ring.onEveryRank(transport ->
            {
                final Collective collective = transport.collective();
                final float[] data = new float[100_003];
                final float[] gathered = new float[3 * 1000];
                final int[] counts = new int[3];
                final float[] part = new float[1000];
                long before = 0;
                for (int round = 0; round < 400; round++)
                {
                    if (round == 200)
                    {
                        before = threads.getCurrentThreadAllocatedBytes();
                    }
                    collective.allReduce(data);
                    collective.broadcast(data, data.length, round % 3);
                    collective.allGather(part, part.length, gathered, counts);
                    collective.barrier();
                }
                return threads.getCurrentThreadAllocatedBytes() - before;
            });
            // 200 rounds x 4 collectives = 800 calls. The smallest Java object is 16 bytes, so any per-call allocation
            // would show as >= 12800 bytes. A few hundred bytes do appear now and then when the JIT deoptimises
            // and materialises an object it had scalar-replaced; that is not per call.
            final long calls = 200 * 4;
            for (final long bytes : allocated)
            {
                assertTrue(bytes < 16 * calls, "bytes allocated by " + calls + " collective calls on one rank: " + allocated);
            }
        }
    }

    @Test
    @Tag("slow")
    void hundredMillionFloatsSumExactly() throws Exception
    {
        final int length = 100_000_000;
        try (LocalRing ring = LocalRing.start(3, ctx -> ctx.collectiveTimeoutNs(300_000_000_000L)))
        {
            ring.onEveryRank(transport ->
            {
                final float[] data = new float[length];
                for (int i = 0; i < length; i++)
                {
                    data[i] = AllReduceTest.value(transport.rank(), i, 1);
                }
                final long start = System.nanoTime();
                transport.collective().allReduce(data);
                System.out.printf("rank %d: 100M floats in %.1f s%n", transport.rank(), (System.nanoTime() - start) / 1e9);
                for (int i = 0; i < length; i++)
                {
                    final float expected = AllReduceTest.value(0, i, 1) + AllReduceTest.value(1, i, 1) + AllReduceTest.value(2, i, 1);
                    if (data[i] != expected)
                    {
                        assertEquals(expected, data[i], "index " + i);
                    }
                }
                return null;
            });
        }
    }
}
