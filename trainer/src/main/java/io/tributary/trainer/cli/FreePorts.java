package io.tributary.trainer.cli;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;

/**
 * UDP port ranges for a job's rendezvous: the sharded scheme uses one port per local device, so a whole range
 * must be free. A port found free may still be taken before the node binds it; the node then fails naming it.
 */
public final class FreePorts
{
    private static final int ATTEMPTS = 100;
    private static final int MAX_PORT = 65535;

    private FreePorts()
    {
    }

    /** The first port of {@code count} consecutive UDP ports that are free on every interface now. */
    public static int findRange(final int count)
    {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++)
        {
            final int first;
            try (DatagramSocket probe = new DatagramSocket(0))
            {
                first = probe.getLocalPort();
            }
            catch (final SocketException ex)
            {
                throw new IllegalStateException("cannot open a UDP socket: " + ex.getMessage(), ex);
            }
            if (isFree(first, count))
            {
                return first;
            }
        }
        throw new IllegalStateException("found no " + count + " consecutive free UDP ports in " + ATTEMPTS + " tries");
    }

    /** Whether UDP ports {@code first .. first + count - 1} exist and can all be bound now. */
    public static boolean isFree(final int first, final int count)
    {
        if (first < 1 || first + count - 1 > MAX_PORT)
        {
            return false;
        }
        final List<DatagramSocket> held = new ArrayList<>();
        try
        {
            for (int port = first; port < first + count; port++)
            {
                final DatagramSocket socket = new DatagramSocket(null);
                held.add(socket);
                socket.bind(new InetSocketAddress(port));
            }
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
        finally
        {
            held.forEach(DatagramSocket::close);
        }
    }
}
