package io.tributary.transport;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;

/**
 * The data MTU a node chooses when none is set: the largest Aeron frame that crosses the interface of its data
 * address in one IP packet. Loopback takes {@link TransportDefaults#MTU}, the most bandwidth there; a network
 * interface takes its MTU less the IP and UDP headers, rounded down to Aeron's 32-byte frame alignment (1472 on
 * a 1500-byte Ethernet, 8960 with 9000-byte jumbo frames). A datagram larger than that is split into IP fragments,
 * and losing any fragment loses the whole datagram: a queue that drops packets under load (a switch, a shaped
 * link) then drops most datagrams, and retransmissions of 64 KiB datagrams fare no better.
 */
final class PathMtu
{
    /** Aeron's own default, which fits any 1500-byte path: for an interface that cannot be found. */
    static final int FALLBACK = 1408;
    private static final int IPV4_UDP_HEADERS = 20 + 8;
    private static final int IPV6_UDP_HEADERS = 40 + 8;
    private static final int FRAME_ALIGNMENT = 32;
    private static final int MIN = 1024;

    private PathMtu()
    {
    }

    /** The MTU for data sent from {@code dataHost} (an address or host name of this node). */
    static int forHost(final String dataHost)
    {
        try
        {
            final InetAddress address = InetAddress.getByName(dataHost);
            if (address.isLoopbackAddress())
            {
                return TransportDefaults.MTU;
            }
            final NetworkInterface nic = NetworkInterface.getByInetAddress(address);
            if (nic == null || nic.getMTU() <= 0)
            {
                return FALLBACK;
            }
            return forInterface(nic.getMTU(), address instanceof Inet6Address);
        }
        catch (final UnknownHostException | SocketException ex)
        {
            return FALLBACK;
        }
    }

    /** The largest aligned frame in one packet of an interface MTU of {@code interfaceMtu} bytes. */
    static int forInterface(final int interfaceMtu, final boolean ipv6)
    {
        final int payload = interfaceMtu - (ipv6 ? IPV6_UDP_HEADERS : IPV4_UDP_HEADERS);
        final int aligned = payload / FRAME_ALIGNMENT * FRAME_ALIGNMENT;
        return Math.max(MIN, Math.min(TransportDefaults.MTU, aligned));
    }
}
