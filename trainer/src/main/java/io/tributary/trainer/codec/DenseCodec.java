package io.tributary.trainer.codec;

import io.tributary.kernels.GradientKernels;
import io.tributary.transport.WireCodec;

import java.nio.ByteBuffer;

/**
 * A codec whose encodings can be summed along the ring: every value travels, in fewer bits. It is also the
 * ring's {@link WireCodec}, so the same encoding serves the node's own compression and every hop.
 */
abstract class DenseCodec extends CodecBase implements WireCodec
{
    private ByteBuffer message;

    DenseCodec(final int n, final GradientKernels kernels)
    {
        super(n, kernels);
    }

    @Override
    public final boolean summable()
    {
        return true;
    }

    @Override
    public final WireCodec wire()
    {
        return this;
    }

    @Override
    public final int compress(final ByteBuffer x, final long key)
    {
        message();
        accumulate(x);
        encode(residual, n, message, key);
        decode(message, n, x);
        kernels.axpy(n, -1.0f, x, residual);
        return align4(encodedBytes(n));
    }

    @Override
    public final ByteBuffer message()
    {
        if (message == null)
        {
            // Not in the constructor: a subclass's encodedBytes reads its own fields, set after this one's.
            message = bytes(maxMessageBytes());
        }
        return message;
    }

    @Override
    public final int maxMessageBytes()
    {
        return align4(encodedBytes(n));
    }

    @Override
    public final void decodeAdd(final ByteBuffer message, final int bytes, final ByteBuffer out)
    {
        throw new UnsupportedOperationException(name() + " travels the ring: it is summed there, not gathered");
    }

    @Override
    public final int valuesSent()
    {
        return n;
    }
}
