package io.tributary.transport;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SteadyStateTest
{
    private static final String[] OPERATIONS = { "allReduce(float[])", "allReduce(ByteBuffer)", "broadcast", "allGather",
        "barrier" };
    private static final int CALLS = 200;
    private static final int WINDOWS = 3;

    /**
     * Each operation is measured on its own, so one that allocates per call cannot hide in the others' budget:
     * the smallest Java object is 16 bytes, so an allocation per call shows as >= 3200 bytes over 200 calls.
     * Now and then the JIT deoptimises and materialises objects it had scalar-replaced (a few KiB seen once
     * in the first window after warm-up); that is not per call, so each operation gets the least of three
     * windows of 200 calls, and 1 KiB of slack. A per-call allocation shows in every window.
     */
    @Test
    void everyCollectiveAllocatesNothingAfterWarmUp() throws Exception
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        try (LocalRing ring = LocalRing.start(3, ctx -> {}))
        {
            final List<long[]> allocated = ring.onEveryRank(transport ->
            {
                final Buffers buffers = new Buffers();
                for (int round = 0; round < CALLS; round++)
                {
                    for (int op = 0; op < OPERATIONS.length; op++)
                    {
                        call(transport.collective(), op, round, buffers);
                    }
                }
                final long[] bytes = new long[OPERATIONS.length];
                for (int op = 0; op < OPERATIONS.length; op++)
                {
                    bytes[op] = Long.MAX_VALUE;
                    for (int window = 0; window < WINDOWS; window++)
                    {
                        final long before = threads.getCurrentThreadAllocatedBytes();
                        for (int round = 0; round < CALLS; round++)
                        {
                            call(transport.collective(), op, round, buffers);
                        }
                        bytes[op] = Math.min(bytes[op], threads.getCurrentThreadAllocatedBytes() - before);
                    }
                }
                return bytes;
            });
            for (int rank = 0; rank < allocated.size(); rank++)
            {
                for (int op = 0; op < OPERATIONS.length; op++)
                {
                    final long bytes = allocated.get(rank)[op];
                    assertTrue(bytes < 1024, "rank " + rank + ": " + CALLS + " calls of " + OPERATIONS[op] +
                        " allocated " + bytes + " bytes (least of " + WINDOWS + " windows)");
                }
            }
        }
    }

    private static final class Buffers
    {
        final float[] data = new float[100_003];
        final ByteBuffer direct = ByteBuffer.allocateDirect(50_001 * Float.BYTES).order(ByteOrder.nativeOrder());
        final float[] part = new float[1000];
        final float[] gathered = new float[3 * 1000];
        final int[] counts = new int[3];
    }

    private static void call(final Collective collective, final int op, final int round, final Buffers b)
    {
        switch (op)
        {
            case 0 -> collective.allReduce(b.data);
            case 1 -> collective.allReduce(b.direct, 50_001);
            case 2 -> collective.broadcast(b.data, b.data.length, round % 3);
            case 3 -> collective.allGather(b.part, b.part.length, b.gathered, b.counts);
            default -> collective.barrier();
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
