package io.tributary.trainer.compare;

import io.tributary.trainer.config.ConfigException;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The link a comparison runs its nodes over: {@code loopback} (processes on this machine, unshaped), or a rate such
 * as {@code 1gbit}, {@code 10gbit} or {@code 100mbit}, which {@link NamespaceLink} emulates with a token bucket on
 * every node's port; {@code lossPercent} of the UDP datagrams a node receives are dropped.
 */
public record LinkSpec(String name, double mbitPerSec, double lossPercent)
{
    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)(mbit|gbit)");
    private static final Pattern LOSS = Pattern.compile("(\\d+(?:\\.\\d+)?)%?");

    public static final LinkSpec LOOPBACK = new LinkSpec("loopback", 0, 0);

    public boolean emulated()
    {
        return mbitPerSec > 0 || lossPercent > 0;
    }

    /** Bytes per second the link carries in each direction; infinite on loopback. */
    public double bytesPerSecond()
    {
        return mbitPerSec > 0 ? mbitPerSec * 1e6 / 8 : Double.POSITIVE_INFINITY;
    }

    /** @throws ConfigException naming --link or --loss, for a rate or loss this does not read */
    public static LinkSpec parse(final String link, final String loss)
    {
        final String name = link.toLowerCase(Locale.ROOT);
        double mbit = 0;
        if (!"loopback".equals(name))
        {
            final Matcher rate = RATE.matcher(name);
            if (!rate.matches() || Double.parseDouble(rate.group(1)) <= 0)
            {
                throw new ConfigException("--link " + link, "", "expected loopback or a rate such as 100mbit, 1gbit " +
                    "or 10gbit");
            }
            mbit = Double.parseDouble(rate.group(1)) * ("gbit".equals(rate.group(2)) ? 1000 : 1);
            if (mbit > 100_000)
            {
                throw new ConfigException("--link " + link, "", "expected at most 100gbit");
            }
        }
        double lossPercent = 0;
        if (loss != null)
        {
            final Matcher m = LOSS.matcher(loss);
            if (!m.matches() || Double.parseDouble(m.group(1)) > 50)
            {
                throw new ConfigException("--loss " + loss, "", "expected a share of datagrams to drop, 0% to 50%, " +
                    "such as 1%");
            }
            lossPercent = Double.parseDouble(m.group(1));
        }
        return new LinkSpec(name, mbit, lossPercent);
    }

    /** As a report names it: {@code 1gbit}, {@code 1gbit, 1% loss}. */
    public String describe()
    {
        return lossPercent > 0 ? name + ", " + format(lossPercent) + "% loss" : name;
    }

    private static String format(final double value)
    {
        return value == Math.rint(value) ? Long.toString((long)value) : Double.toString(value);
    }
}
