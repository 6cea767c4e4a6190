package io.tributary.trainer.codec;

import io.tributary.trainer.checkpoint.NodeState;
import io.tributary.transport.WireCodec;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One lossy representation of a gradient vector of fixed length, with error feedback: what a step did not send
 * stays in this codec's residual and is added to the next step's gradient. One instance per vector that is
 * compressed on its own (a node's sum, a shard of it, a replica's gradient), used by one thread at a time.
 *
 * <p>{@link #compress} is the whole local contract: {@code v = x + residual} (one float addition per element),
 * {@code message = encode(v)}, {@code residual = v - decode(message)}, {@code x = decode(message)}. Dense codecs
 * ({@link #summable()}) then travel the ring through {@link #wire()}, which re-encodes partial sums at every hop;
 * sparse ones travel as their message, which every node decodes with {@link #decodeAdd}.
 */
public interface GradientCodec extends NodeState, AutoCloseable
{
    /** The name in {@code strategy.codec}. */
    String name();

    /** The length of the vectors this codec compresses. */
    int length();

    /** Whether encodings add up along the ring (fp16, bf16, qsgd8) rather than being gathered (top-k, threshold). */
    boolean summable();

    /** How a chunk of a partial sum travels the ring; null unless {@link #summable()}. */
    WireCodec wire();

    /**
     * Adds the residual to {@code x}, encodes the sum into {@link #message()}, keeps what the message leaves out in
     * the residual and overwrites {@code x} with the decoded message: what the receivers will see.
     *
     * @param x   {@link #length()} native-order floats from byte 0, direct
     * @param key identifies this step and vector; a stochastic codec draws its random numbers from it
     * @return the message's length in bytes, a multiple of 4
     */
    int compress(ByteBuffer x, long key);

    /** The last message, from byte 0; its length is what {@link #compress} returned. */
    ByteBuffer message();

    /** The longest message {@link #compress} can write, in bytes. */
    int maxMessageBytes();

    /** Adds the decoded {@code message} (as another node's {@link #compress} wrote it) to {@code out}. */
    void decodeAdd(ByteBuffer message, int bytes, ByteBuffer out);

    /** What the last message carried: the values sent (nonzero entries for sparse codecs, all for dense). */
    int valuesSent();

    /** The threshold of the last message; NaN for codecs without one. */
    float threshold();

    /** The residual: what has not been sent yet, as native-order floats. */
    ByteBuffer residual();

    /** Writes the state a resumed run needs to continue bit-identically: the residual and any adaptive setting. */
    @Override
    void writeState(DataOutput out) throws IOException;

    /** Restores what {@link #writeState} wrote, for a codec of the same kind and length. */
    @Override
    void readState(DataInput in) throws IOException;

    @Override
    void close();
}
