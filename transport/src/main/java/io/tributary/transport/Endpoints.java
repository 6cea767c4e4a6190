package io.tributary.transport;

/** host:port parsing with messages that name the setting. */
final class Endpoints
{
    private Endpoints()
    {
    }

    static int port(final String endpoint, final String name)
    {
        final int colon = endpoint.lastIndexOf(':');
        if (colon <= 0 || colon == endpoint.length() - 1)
        {
            throw new IllegalArgumentException("TransportContext: " + name + " must be host:port, got " + endpoint);
        }
        final int port;
        try
        {
            port = Integer.parseInt(endpoint.substring(colon + 1));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("TransportContext: " + name + " has a bad port: " + endpoint);
        }
        if (port < 1 || port > 65535)
        {
            throw new IllegalArgumentException("TransportContext: " + name + " port must be in [1, 65535]: " +
                endpoint);
        }
        return port;
    }
}
