package io.tributary.transport;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    private static long deadPid() throws Exception
    {
        final Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }
}
