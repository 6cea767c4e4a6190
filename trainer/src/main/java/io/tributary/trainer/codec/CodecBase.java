package io.tributary.trainer.codec;

import io.tributary.kernels.GradientKernels;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;

/** What every codec has: its length, its kernels, the residual, and the residual's place in a checkpoint. */
abstract class CodecBase implements GradientCodec
{
    protected final int n;
    protected final GradientKernels kernels;
    protected final ByteBuffer residual;
    private final ByteBuffer[] pair = new ByteBuffer[2];

    CodecBase(final int n, final GradientKernels kernels)
    {
        this.n = n;
        this.kernels = kernels;
        this.residual = floats(n);
    }

    static ByteBuffer floats(final int count)
    {
        return DirectFloats.floats(count);
    }

    static ByteBuffer bytes(final int count)
    {
        return DirectFloats.bytes(count);
    }

    static int align4(final int bytes)
    {
        return (bytes + 3) & ~3;
    }

    /** residual = fl(residual + x), element by element: the error feedback's one addition. */
    final void accumulate(final ByteBuffer x)
    {
        pair[0] = residual;
        pair[1] = x;
        kernels.sum(pair, 2, residual, n);
    }

    @Override
    public final int length()
    {
        return n;
    }

    @Override
    public final ByteBuffer residual()
    {
        return residual;
    }

    @Override
    public float threshold()
    {
        return Float.NaN;
    }

    @Override
    public void writeState(final DataOutput out) throws IOException
    {
        out.writeUTF(name());
        out.writeInt(n);
        final byte[] bits = new byte[n * Float.BYTES];
        residual.get(0, bits);
        out.write(bits);
    }

    @Override
    public void readState(final DataInput in) throws IOException
    {
        final String name = in.readUTF();
        final int length = in.readInt();
        if (!name().equals(name) || length != n)
        {
            throw new IOException("codec state of " + name + " over " + length + " values, expected " + name() +
                " over " + n);
        }
        final byte[] bits = new byte[n * Float.BYTES];
        in.readFully(bits);
        residual.put(0, bits);
    }

    @Override
    public void close()
    {
        kernels.close();
    }
}
