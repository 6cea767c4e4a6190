package io.tributary.trainer.cluster;

import io.tributary.trainer.config.ConfigException;

import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;

/**
 * The address other nodes send this node's data to. {@code TRIBUTARY_DATA_HOST} when set; 127.0.0.1 when
 * node 0 is on this host's loopback; otherwise the local address of the interface that routes to node 0
 * (found by connecting a UDP socket, which sends nothing), so a host whose name resolves to 127.0.1.1 still
 * announces an address the others can reach.
 */
final class DataHost
{
    static final String ENV = "TRIBUTARY_DATA_HOST";

    private DataHost()
    {
    }

    /**
     * @param masterSource where the master host came from, as {@link WorldResolver#masterSource} names it
     * @throws ConfigException naming {@code masterSource} when the host is unknown or has no route
     */
    static String resolve(final String masterHost, final int masterPort, final String[] masterSource)
    {
        final InetAddress master;
        try
        {
            master = InetAddress.getByName(masterHost);
        }
        catch (final UnknownHostException ex)
        {
            throw new ConfigException(masterSource[0], masterSource[1], "unknown host " + masterHost);
        }
        final String configured = System.getenv(ENV);
        if (configured != null && !configured.isBlank())
        {
            return configured.trim();
        }
        if (master.isLoopbackAddress())
        {
            return "127.0.0.1";
        }
        try (DatagramSocket probe = new DatagramSocket())
        {
            probe.connect(new InetSocketAddress(master, masterPort));
            return probe.getLocalAddress().getHostAddress();
        }
        catch (final SocketException | UncheckedIOException ex)
        {
            throw new ConfigException(masterSource[0], masterSource[1], "no route to master " + masterHost + " (" +
                ex.getMessage() + "); set " + ENV + " to this node's address if it has one");
        }
    }

    /** This machine's name, for reports; "localhost" when it has none. */
    static String nodeId()
    {
        try
        {
            final String name = InetAddress.getLocalHost().getHostName();
            return name.isEmpty() ? "localhost" : name.substring(0, Math.min(name.length(), 256));
        }
        catch (final UnknownHostException ex)
        {
            return "localhost";
        }
    }
}
