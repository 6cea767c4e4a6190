package io.tributary.transport;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LifecycleTest
{
    @Test
    void ownDriverDirectoryIsNamedByJobRankAndPidAndDeletedOnClose() throws Exception
    {
        final String jobId = LocalRing.newJobId("life");
        final Path stale = Path.of(new TransportContext().driverBaseDirectory(), "tributary-" + jobId + "-r3-" + deadPid());
        Files.createDirectories(stale);
        Files.writeString(stale.resolve("cnc.dat"), "left by kill -9");

        final Transport transport = Transport.connect(new TransportContext().jobId(jobId).token("t").rank(0).worldSize(1));
        final File dir = new File(transport.driverDirectory());
        assertEquals("tributary-" + jobId + "-r0-" + ProcessHandle.current().pid(), dir.getName());
        assertTrue(dir.isDirectory());
        assertFalse(Files.exists(stale), "a dead process's directory is cleaned at start");

        final float[] data = { 1f, 2f };
        transport.collective().allReduce(data);
        transport.collective().barrier();
        assertEquals(1f, data[0]);
        transport.close();
        transport.close();
        assertFalse(dir.exists(), "driver directory deleted on close");
        assertTrue(DriverDirectories.list(new TransportContext().driverBaseDirectory(), jobId).isEmpty());
    }

    @Test
    void directBuffersInTheOtherByteOrderAreRefused()
    {
        final ByteOrder foreign = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        final ByteBuffer wrong = ByteBuffer.allocateDirect(8).order(foreign);
        final ByteBuffer right = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        try (Transport transport = Transport.connect(new TransportContext()
            .jobId(LocalRing.newJobId("order")).token("t").rank(0).worldSize(1)))
        {
            final Collective c = transport.collective();
            final String reduce = assertThrows(IllegalArgumentException.class, () -> c.allReduce(wrong, 2)).getMessage();
            assertTrue(reduce.contains("data must be in native byte order"), reduce);
            assertThrows(IllegalArgumentException.class, () -> c.broadcast(wrong, 2, 0));
            final String send = assertThrows(IllegalArgumentException.class,
                () -> c.allGather(wrong, 1, right, new int[1])).getMessage();
            assertTrue(send.contains("send must be in native byte order"), send);
            final String recv = assertThrows(IllegalArgumentException.class,
                () -> c.allGather(right, 1, wrong, new int[1])).getMessage();
            assertTrue(recv.contains("recv must be in native byte order"), recv);
            right.putFloat(0, 2.5f);
            c.allReduce(right, 2);
            assertEquals(2.5f, right.getFloat(0));
        }
    }

    private static long deadPid() throws Exception
    {
        final Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }
}
