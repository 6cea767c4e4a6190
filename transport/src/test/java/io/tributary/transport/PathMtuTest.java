package io.tributary.transport;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The data MTU fits one IP packet of the interface, aligned to Aeron's 32-byte frames; loopback takes the most. */
class PathMtuTest
{
    @Test
    void anInterfaceMtuLessTheHeadersRoundedDownToFrameAlignment()
    {
        assertEquals(1472, PathMtu.forInterface(1500, false), "1500 - 20 - 8 = 1472 = 46 x 32");
        assertEquals(1440, PathMtu.forInterface(1500, true), "1500 - 40 - 8 = 1452, down to 45 x 32");
        assertEquals(8960, PathMtu.forInterface(9000, false), "8972 down to 280 x 32");
        assertEquals(65504, PathMtu.forInterface(65536, false), "capped at Aeron's largest");
        assertEquals(1024, PathMtu.forInterface(576, false), "never below Aeron's smallest");
    }

    @Test
    void loopbackTakesTheLargestAndAnUnknownHostAeronsDefault()
    {
        assertEquals(TransportDefaults.MTU, PathMtu.forHost("127.0.0.1"));
        assertEquals(PathMtu.FALLBACK, PathMtu.forHost("no-such-host.invalid"));
        assertEquals(PathMtu.FALLBACK, PathMtu.forHost("192.0.2.1"), "an address of no local interface");
    }

    @Test
    void aContextWithoutAnMtuTakesItsDataHostsWhenConcluded()
    {
        final TransportContext ctx = new TransportContext().jobId("mtu").token("t").rank(0).worldSize(1)
            .dataHost("127.0.0.1");
        assertEquals(TransportContext.AUTO_MTU, ctx.mtu());
        assertEquals(TransportDefaults.MTU, ctx.conclude().mtu());
        assertEquals(8192, new TransportContext().jobId("mtu").token("t").rank(0).worldSize(1).mtu(8192).conclude()
            .mtu());
    }
}
