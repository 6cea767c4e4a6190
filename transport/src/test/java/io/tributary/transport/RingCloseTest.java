package io.tributary.transport;

import io.aeron.Aeron;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RingPipeline#close(long)} must say when the collective thread has not left, because
 * {@link Transport#close()} then leaves the log buffers mapped instead of unmapping them under it. A view
 * whose copy blocks stands for a thread descheduled in the middle of writing a claimed frame.
 */
class RingCloseTest
{
    @Test
    void closeReportsACollectiveThreadThatHasNotLeftAndThenOneThatHas() throws Exception
    {
        final String jobId = LocalRing.newJobId("ringclose");
        final int port = LocalRing.freeUdpPort();
        final ExecutorService threads = Executors.newFixedThreadPool(2);
        Aeron aeron0 = null;
        Aeron aeron1 = null;
        Membership membership0 = null;
        Future<Membership> membership1 = null;
        try (EmbeddedDriver driver = EmbeddedDriver.launch(LocalRing.testContext(jobId, 0, 1, port)))
        {
            aeron0 = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.directory()));
            aeron1 = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.directory()));
            final TransportContext ctx0 = context(jobId, 0, port, driver);
            final TransportContext ctx1 = context(jobId, 1, port, driver);
            final Aeron client1 = aeron1;
            membership1 = threads.submit(() -> Membership.establish(ctx1, client1));
            membership0 = Membership.establish(ctx0, aeron0);
            membership1.get(30, TimeUnit.SECONDS);

            final RingPipeline ring = new RingPipeline(ctx0, membership0, DriverDuty.NONE, new CollectiveMetrics());
            final BlockingView view = new BlockingView();
            ring.clear().send(0, 1, -1);
            final CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            threads.submit(() ->
            {
                try
                {
                    ring.run(view, 1, FrameHeader.BARRIER, System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
                    outcome.complete(null);
                }
                catch (final Throwable ex)
                {
                    outcome.complete(ex);
                }
            });
            assertTrue(view.entered.await(10, TimeUnit.SECONDS), "the collective reached its copy");

            assertFalse(ring.close(TimeUnit.MILLISECONDS.toNanos(200)), "still running: close must say so");
            view.release.countDown();
            assertNull(outcome.get(10, TimeUnit.SECONDS), "the frame it was writing completes the plan");
            assertTrue(ring.close(TimeUnit.SECONDS.toNanos(2)), "left: close may go on");
        }
        finally
        {
            if (membership1 != null && membership1.isDone())
            {
                CloseHelper.quietClose(membership1.get());
            }
            CloseHelper.quietCloseAll(membership0, aeron0, aeron1);
            threads.shutdownNow();
        }
    }

    private static TransportContext context(final String jobId, final int rank, final int port, final EmbeddedDriver driver)
    {
        return LocalRing.testContext(jobId, rank, 2, port).launchDriver(false).driverDirectory(driver.directory()).conclude();
    }

    private static final class BlockingView implements FloatView
    {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        public int capacity()
        {
            return 1;
        }

        public void copyTo(final MutableDirectBuffer dst, final int dstOffset, final int index, final int count)
        {
            entered.countDown();
            try
            {
                release.await();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            dst.putFloat(dstOffset, 1f);
        }

        public void copyFrom(final DirectBuffer src, final int srcOffset, final int index, final int count)
        {
            throw new AssertionError("nothing is received in this plan");
        }

        public void addFrom(final DirectBuffer src, final int srcOffset, final int index, final int count)
        {
            throw new AssertionError("nothing is received in this plan");
        }
    }
}
