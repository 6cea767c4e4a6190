package io.tributary.trainer.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * Expands a Slurm host list such as {@code gpu[01-04,07],cpu3} into host names, in Slurm's order. Commas
 * inside brackets separate ranges, not hosts; a range keeps the zero padding of its lower bound; several
 * bracket groups in one name expand as their product ({@code r[1-2]n[1-2]} is r1n1, r1n2, r2n1, r2n2).
 */
public final class SlurmHostList
{
    private static final int MAX_HOSTS = 65_536;

    private SlurmHostList()
    {
    }

    /** @throws IllegalArgumentException naming what is malformed */
    public static List<String> expand(final String hostList)
    {
        final List<String> hosts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= hostList.length(); i++)
        {
            final char c = i < hostList.length() ? hostList.charAt(i) : ',';
            if (c == '[')
            {
                depth++;
            }
            else if (c == ']')
            {
                depth--;
                if (depth < 0)
                {
                    throw new IllegalArgumentException("unbalanced ']' at position " + i);
                }
            }
            else if (c == ',' && depth == 0)
            {
                final String name = hostList.substring(start, i).strip();
                if (name.isEmpty())
                {
                    throw new IllegalArgumentException("empty host name at position " + start);
                }
                expandName(name, hosts);
                start = i + 1;
            }
        }
        if (depth != 0)
        {
            throw new IllegalArgumentException("unbalanced '['");
        }
        return hosts;
    }

    private static void expandName(final String name, final List<String> hosts)
    {
        final int open = name.indexOf('[');
        if (open < 0)
        {
            add(hosts, name);
            return;
        }
        final int close = name.indexOf(']', open);
        final String prefix = name.substring(0, open);
        final String suffix = name.substring(close + 1);
        for (final String range : name.substring(open + 1, close).split(",", -1))
        {
            final int dash = range.indexOf('-');
            final String low = dash < 0 ? range : range.substring(0, dash);
            final String high = dash < 0 ? range : range.substring(dash + 1);
            if (!low.matches("[0-9]{1,9}") || !high.matches("[0-9]{1,9}"))
            {
                throw new IllegalArgumentException("expected a number or a range such as 01-04 in [...], got '" +
                    range + "'");
            }
            final int from = Integer.parseInt(low);
            final int to = Integer.parseInt(high);
            if (to < from)
            {
                throw new IllegalArgumentException("range " + range + " runs backwards");
            }
            for (int n = from; n <= to; n++)
            {
                final String number = String.valueOf(n);
                final String padded = "0".repeat(Math.max(0, low.length() - number.length())) + number;
                expandName(prefix + padded + suffix, hosts);
            }
        }
    }

    private static void add(final List<String> hosts, final String host)
    {
        if (hosts.size() == MAX_HOSTS)
        {
            throw new IllegalArgumentException("more than " + MAX_HOSTS + " hosts");
        }
        hosts.add(host);
    }
}
