package io.tributary.trainer.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An emulated link between N nodes on this machine: one network namespace per node, each joined by a veth pair to
 * a bridge in a hub namespace, like hosts on one switch. Both ends of every pair are shaped by a token bucket (tc
 * tbf) to the link's rate, so each node sends and receives at most that; with loss, an nftables rule in each node
 * drops that share of the UDP datagrams it receives. Needs root, ip and tc (and nft for loss). {@link #close}
 * deletes the namespaces, which removes their interfaces.
 */
public final class NamespaceLink implements AutoCloseable
{
    private static final long COMMAND_TIMEOUT_S = 20;

    private final String prefix;
    private final int nodes;
    private final List<String> created = new ArrayList<>();

    private NamespaceLink(final String prefix, final int nodes)
    {
        this.prefix = prefix;
        this.nodes = nodes;
    }

    /** Why this machine cannot emulate {@code link}, or null when it can. */
    public static String unavailableReason(final LinkSpec link)
    {
        if (!isRoot())
        {
            return "an emulated link needs root (network namespaces, tc and nftables); run as root or use --link " +
                "loopback";
        }
        for (final String tool : link.lossPercent() > 0 ? List.of("ip", "tc", "nft") : List.of("ip", "tc"))
        {
            if (!onPath(tool))
            {
                return "an emulated link needs '" + tool + "' (apt-get install iproute2" +
                    ("nft".equals(tool) ? " nftables" : "") + "), or use --link loopback";
            }
        }
        return null;
    }

    /** Creates the namespaces of {@code nodes} nodes on {@code link}; names start with {@code prefix}. */
    public static NamespaceLink open(final String prefix, final int nodes, final LinkSpec link) throws IOException
    {
        final NamespaceLink ns = new NamespaceLink(prefix, nodes);
        try
        {
            ns.build(link);
            return ns;
        }
        catch (final IOException | RuntimeException ex)
        {
            ns.close();
            throw ex;
        }
    }

    private void build(final LinkSpec link) throws IOException
    {
        final String hub = prefix + "hub";
        addNamespace(hub);
        run("ip", "-n", hub, "link", "add", "br0", "type", "bridge");
        run("ip", "-n", hub, "link", "set", "br0", "up");
        for (int r = 0; r < nodes; r++)
        {
            final String ns = namespace(r);
            addNamespace(ns);
            run("ip", "link", "add", "v" + r, "netns", ns, "type", "veth", "peer", "name", "h" + r, "netns", hub);
            run("ip", "-n", ns, "addr", "add", address(r) + "/16", "dev", "v" + r);
            run("ip", "-n", ns, "link", "set", "v" + r, "up");
            run("ip", "-n", ns, "link", "set", "lo", "up");
            run("ip", "-n", hub, "link", "set", "h" + r, "master", "br0");
            run("ip", "-n", hub, "link", "set", "h" + r, "up");
            if (link.mbitPerSec() > 0)
            {
                shape(ns, "v" + r, link.mbitPerSec());
                shape(hub, "h" + r, link.mbitPerSec());
            }
            if (link.lossPercent() > 0)
            {
                // Per mille, so that 0.5% is expressible.
                final long perMille = Math.round(link.lossPercent() * 10);
                run("ip", "netns", "exec", ns, "nft", "add", "table", "inet", "trib");
                run("ip", "netns", "exec", ns, "nft", "add", "chain", "inet", "trib", "in",
                    "{ type filter hook input priority 0; }");
                run("ip", "netns", "exec", ns, "nft", "add", "rule", "inet", "trib", "in", "meta", "l4proto", "udp",
                    "numgen", "random", "mod", "1000", "lt", Long.toString(perMille), "drop");
            }
        }
    }

    private void shape(final String ns, final String device, final double mbit) throws IOException
    {
        run("ip", "netns", "exec", ns, "tc", "qdisc", "add", "dev", device, "root", "tbf", "rate",
            Math.round(mbit * 1000) + "kbit", "burst", "256kb", "latency", "50ms");
    }

    private void addNamespace(final String ns) throws IOException
    {
        run("ip", "netns", "add", ns);
        created.add(ns);
    }

    /** The namespace of node {@code rank}. */
    public String namespace(final int rank)
    {
        return prefix + rank;
    }

    /** Node {@code rank}'s address on the link. */
    public static String address(final int rank)
    {
        return "10.79." + (rank + 1) / 250 + "." + ((rank + 1) % 250 + 1);
    }

    /** {@code ip netns exec NS} before a command, to run it as node {@code rank}. */
    public List<String> wrap(final int rank, final List<String> command)
    {
        final List<String> wrapped = new ArrayList<>(List.of("ip", "netns", "exec", namespace(rank)));
        wrapped.addAll(command);
        return wrapped;
    }

    public List<String> namespaces()
    {
        final List<String> names = new ArrayList<>();
        for (int r = 0; r < nodes; r++)
        {
            names.add(namespace(r));
        }
        return names;
    }

    public List<String> addresses()
    {
        final List<String> addresses = new ArrayList<>();
        for (int r = 0; r < nodes; r++)
        {
            addresses.add(address(r));
        }
        return addresses;
    }

    @Override
    public void close()
    {
        for (int i = created.size() - 1; i >= 0; i--)
        {
            try
            {
                run("ip", "netns", "del", created.get(i));
            }
            catch (final IOException | RuntimeException ex)
            {
                // Best effort: a namespace that is already gone is what close wants.
            }
        }
        created.clear();
    }

    private static boolean isRoot()
    {
        try
        {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .anyMatch(line -> line.matches("Uid:\\s+0\\s.*"));
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static boolean onPath(final String tool)
    {
        for (final String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":"))
        {
            if (Files.isExecutable(Path.of(dir, tool)))
            {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    private static void run(final String... command) throws IOException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try
        {
            if (!process.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": no answer in " + COMMAND_TIMEOUT_S + " s");
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + ": interrupted");
        }
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (process.exitValue() != 0)
        {
            throw new IOException(String.join(" ", command) + " failed (exit " + process.exitValue() + ")" +
                (output.isEmpty() ? "" : ": " + output.lines().findFirst().orElse("")));
        }
    }
}
