package io.tributary.transport;

import io.aeron.driver.ThreadingMode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each rank with its own embedded driver in INVOKER mode, driven by the collective thread while it runs. */
class InvokerModeTest
{
    @Test
    void ranksWithInvokerDriversSumExactlyAndLeaveNoThreadOrDirectory() throws Exception
    {
        final String jobId = LocalRing.newJobId("invoker");
        final int port = LocalRing.freeUdpPort();
        final int worldSize = 3;
        final int length = 50_001;
        final ExecutorService threads = Executors.newFixedThreadPool(worldSize);
        try
        {
            final List<Future<float[]>> results = new ArrayList<>();
            for (int r = 0; r < worldSize; r++)
            {
                final int rank = r;
                results.add(threads.submit(() ->
                {
                    try (Transport transport = Transport.connect(LocalRing.testContext(jobId, rank, worldSize, port)
                        .threadingMode(ThreadingMode.INVOKER)))
                    {
                        final float[] data = new float[length];
                        for (int i = 0; i < length; i++)
                        {
                            data[i] = AllReduceTest.value(rank, i, 1);
                        }
                        // Longer than the image liveness timeout: the background thread must keep the driver alive.
                        Thread.sleep(2500);
                        transport.collective().allReduce(data);
                        transport.collective().barrier();
                        return data;
                    }
                }));
            }
            final float[] expected = AllReduceTest.expectedSum(worldSize, length, 1);
            for (final Future<float[]> result : results)
            {
                assertArrayEquals(expected, result.get(60, TimeUnit.SECONDS));
            }
            assertTrue(DriverDirectories.list(new TransportContext().driverBaseDirectory(), jobId).isEmpty());
            assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("tributary-driver-" + jobId)), "driver duty threads stopped");
        }
        finally
        {
            threads.shutdownNow();
        }
    }
}
