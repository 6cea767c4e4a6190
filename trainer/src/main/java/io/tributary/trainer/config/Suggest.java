package io.tributary.trainer.config;

import java.util.Collection;

/** Finds the closest known name to a misspelt one, for "did you mean" hints. */
final class Suggest
{
    private Suggest()
    {
    }

    /** The candidate with the smallest edit distance, or null when none is close enough to be a typo. */
    static String closest(final String name, final Collection<String> candidates)
    {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (final String candidate : candidates)
        {
            final int d = distance(name.toLowerCase(), candidate.toLowerCase());
            if (d < bestDistance)
            {
                bestDistance = d;
                best = candidate;
            }
        }
        final int limit = Math.max(2, name.length() / 2);
        return bestDistance <= limit ? best : null;
    }

    static int distance(final String a, final String b)
    {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++)
            {
                final int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            final int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
