package io.tributary.trainer.codec;

/**
 * Keys for the codecs' random numbers: a pure function of (run seed, global step, stream), so every run with the
 * same seed, a resumed one included, draws the same numbers at the same step. A stream names one compression
 * site: a level (node or replica), its index (shard or replica) and whether it is the local encoding or the ring.
 */
public final class CodecKeys
{
    private CodecKeys()
    {
    }

    /** The stream of compression site {@code index} at {@code level} (0 local node / 1 ring / 2 replica). */
    public static long stream(final int level, final int index)
    {
        return (long)level << 32 | index & 0xFFFF_FFFFL;
    }

    public static long key(final long runSeed, final long globalStep, final long stream)
    {
        return mix(mix(mix(runSeed) ^ globalStep) ^ stream);
    }

    /** The splitmix64 finaliser. */
    static long mix(final long z)
    {
        long x = z + 0x9E3779B97F4A7C15L;
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }
}
