package io.tributary.trainer.replica.kernels;

import io.tributary.kernels.CpuGradientKernels;
import io.tributary.kernels.DeviceGradientKernels;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link DeviceKernelsSum} on the CPU backend, where ND4J's platform address is the host address and its
 * location calls do nothing: a stand-in for {@link DeviceGradientKernels} resolves each address inside one
 * known ND4J buffer and sums with {@link CpuGradientKernels}. This checks the address arithmetic (array
 * offsets included) and the call sequence; it does not check the CUDA allocator, which never ran here.
 */
class DeviceKernelsSumTest
{
    private static final int N = 301;

    @Test
    void sumsRowsOfOneMatrixThroughTheirAddresses()
    {
        final Random random = new Random(5);
        final float[] values = new float[4 * N];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = (float)random.nextGaussian();
        }
        final INDArray matrix = Nd4j.create(values, new long[] { 4, N }, DataType.FLOAT);
        final INDArray[] rows = { matrix.getRow(1), matrix.getRow(2), matrix.getRow(3) };
        final INDArray expected = rows[0].dup().addi(rows[1]).addi(rows[2]);
        final float[] untouched = matrix.getRow(0).toFloatVector();
        final int[] calls = new int[1];

        try (DeviceKernelsSum sum = new DeviceKernelsSum(hostBacked(matrix, calls)))
        {
            sum.sum(rows, 3, rows[0]);
        }

        assertEquals(1, calls[0]);
        assertArrayEquals(expected.toFloatVector(), rows[0].toFloatVector());
        assertArrayEquals(untouched, matrix.getRow(0).toFloatVector());
    }

    @Test
    void oneGradientInPlaceCallsNoKernel()
    {
        final INDArray matrix = Nd4j.rand(DataType.FLOAT, 2, N);
        final INDArray[] rows = { matrix.getRow(0) };
        final float[] before = rows[0].toFloatVector();
        final int[] calls = new int[1];
        try (DeviceKernelsSum sum = new DeviceKernelsSum(hostBacked(matrix, calls)))
        {
            sum.sum(rows, 1, rows[0]);
        }
        assertEquals(0, calls[0]);
        assertArrayEquals(before, rows[0].toFloatVector());
    }

    /** Device kernels whose "device memory" is {@code backing}'s host buffer; only sum and close are used. */
    private static DeviceGradientKernels hostBacked(final INDArray backing, final int[] calls)
    {
        final long base = backing.data().address();
        final ByteBuffer whole = HostArrays.floatView(backing);
        final CpuGradientKernels cpu = new CpuGradientKernels();
        return (DeviceGradientKernels)Proxy.newProxyInstance(DeviceKernelsSumTest.class.getClassLoader(),
            new Class<?>[] { DeviceGradientKernels.class }, (proxy, method, args) ->
            {
                switch (method.getName())
                {
                    case "sum" ->
                    {
                        calls[0]++;
                        final long[] addresses = (long[])args[0];
                        final int count = (Integer)args[1];
                        final int n = (Integer)args[3];
                        final ByteBuffer[] inputs = new ByteBuffer[count];
                        for (int i = 0; i < count; i++)
                        {
                            inputs[i] = at(whole, base, addresses[i], n);
                        }
                        cpu.sum(inputs, count, at(whole, base, (Long)args[2], n), n);
                        return null;
                    }
                    case "close" ->
                    {
                        return null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                }
            });
    }

    private static ByteBuffer at(final ByteBuffer whole, final long base, final long address, final int n)
    {
        final int from = Math.toIntExact(address - base);
        if (from < 0 || from + n * Float.BYTES > whole.capacity())
        {
            throw new AssertionError("address " + address + " outside the backing buffer at " + base);
        }
        return whole.slice(from, n * Float.BYTES).order(whole.order());
    }
}
