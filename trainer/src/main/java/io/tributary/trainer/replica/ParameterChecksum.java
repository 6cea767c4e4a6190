package io.tributary.trainer.replica;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/** A CRC32C over the exact bytes of a parameter vector: equal only when every bit of every parameter is equal. */
public final class ParameterChecksum
{
    private ParameterChecksum()
    {
    }

    public static long of(final INDArray params)
    {
        if (!params.isView() || params.length() == params.data().length())
        {
            final DataBuffer data = params.data();
            final int elementSize = data.getElementSize();
            final ByteBuffer bytes = data.asNio().duplicate();
            bytes.position((int)(params.offset() * elementSize));
            bytes.limit((int)((params.offset() + params.length()) * elementSize));
            final CRC32C crc = new CRC32C();
            crc.update(bytes);
            return crc.getValue();
        }
        return of(params.dup());
    }
}
