package io.tributary.trainer.replica.kernels;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Views of ND4J host arrays as the direct buffers {@link io.tributary.kernels.GradientKernels} takes: on the
 * CPU backend an array's data lives off-heap, so the view shares its memory and nothing is copied.
 */
public final class HostArrays
{
    private HostArrays()
    {
    }

    /**
     * @return a native-order direct buffer whose byte {@code 4 * i} is element {@code i} of {@code array}
     * @throws IllegalArgumentException unless {@code array} is a contiguous float array in host memory
     */
    public static ByteBuffer floatView(final INDArray array)
    {
        if (array.dataType() != DataType.FLOAT)
        {
            throw new IllegalArgumentException("expected a FLOAT array, got " + array.dataType());
        }
        final long length = array.length();
        if (length > Integer.MAX_VALUE / Float.BYTES)
        {
            throw new IllegalArgumentException("array too long for one buffer: " + length + " elements");
        }
        if (!isDenseInOrder(array))
        {
            throw new IllegalArgumentException("expected a contiguous vector or c-order array, got shape " +
                array.shapeInfoToString().replace('\n', ' ') + " with element-wise stride " + array.elementWiseStride());
        }
        final ByteBuffer whole = array.data().asNio();
        if (!whole.isDirect())
        {
            throw new IllegalArgumentException("array data is not in direct host memory");
        }
        final int from = Math.toIntExact(array.offset() * Float.BYTES);
        final int bytes = (int)length * Float.BYTES;
        if (from + bytes > whole.capacity())
        {
            throw new IllegalArgumentException("array view [" + from + ", " + (from + bytes) + ") outside its buffer of " +
                whole.capacity() + " bytes");
        }
        return whole.slice(from, bytes).order(ByteOrder.nativeOrder());
    }

    /**
     * Whether element {@code i} of the array, in its flat order, lies at {@code offset + i} of its buffer: a
     * vector with element-wise stride 1 (DL4J's gradient views are [1, n] 'f' arrays) or a dense c-order array.
     */
    static boolean isDenseInOrder(final INDArray array)
    {
        return array.length() <= 1 ||
            array.elementWiseStride() == 1 && (array.isVectorOrScalar() || array.ordering() == 'c');
    }
}
