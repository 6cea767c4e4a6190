package io.tributary.trainer.replica.kernels;

import io.tributary.kernels.CpuGradientKernels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.ByteBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HostKernelsSumTest
{
    private static final int N = 1037; // not a multiple of any vector width

    private final HostKernelsSum sum = new HostKernelsSum(new CpuGradientKernels());

    @AfterEach
    void close()
    {
        sum.close();
    }

    @Test
    void viewSharesTheArraysMemory()
    {
        final INDArray array = Nd4j.zeros(DataType.FLOAT, 1, N);
        final ByteBuffer view = HostArrays.floatView(array);
        assertEquals(N * Float.BYTES, view.capacity());

        array.putScalar(0, 17, 2.5f);
        assertEquals(2.5f, view.getFloat(17 * Float.BYTES));
        view.putFloat((N - 1) * Float.BYTES, -3.25f);
        assertEquals(-3.25f, array.getFloat(0, N - 1));
    }

    @Test
    void viewOfARowStartsAtTheRowsOffset()
    {
        final INDArray matrix = Nd4j.create(new float[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 }, new long[] { 3, 4 }, DataType.FLOAT);
        final ByteBuffer row = HostArrays.floatView(matrix.getRow(1));
        assertEquals(4 * Float.BYTES, row.capacity());
        for (int i = 0; i < 4; i++)
        {
            assertEquals(4 + i, row.getFloat(i * Float.BYTES));
        }
    }

    @Test
    void rejectsArraysItCannotViewFlat()
    {
        assertThrows(IllegalArgumentException.class, () -> HostArrays.floatView(Nd4j.zeros(DataType.DOUBLE, 1, 4)));
        assertThrows(IllegalArgumentException.class,
            () -> HostArrays.floatView(Nd4j.zeros(DataType.FLOAT, 3, 4).transpose()));
    }

    /** The kernels add in the order ND4J's assign-then-addi did, so the bits are the same: no tolerance. */
    @Test
    void sumInPlaceIsBitIdenticalToNd4jAddition()
    {
        final INDArray[] gradients = randomGradients(3, 11);
        final INDArray expected = gradients[0].dup().addi(gradients[1]).addi(gradients[2]);

        sum.sum(gradients, 3, gradients[0]);

        assertArrayEquals(expected.toFloatVector(), gradients[0].toFloatVector());
    }

    @Test
    void sumIntoASeparateTargetLeavesTheInputsAlone()
    {
        final INDArray[] gradients = randomGradients(4, 12);
        final INDArray first = gradients[0].dup();
        final INDArray expected = gradients[0].dup().addi(gradients[1]).addi(gradients[2]).addi(gradients[3]);
        final INDArray target = Nd4j.createUninitialized(DataType.FLOAT, 1, N);

        sum.sum(gradients, 4, target);
        sum.sum(gradients, 4, target); // a second step through the cached views gives the same result

        assertArrayEquals(expected.toFloatVector(), target.toFloatVector());
        assertArrayEquals(first.toFloatVector(), gradients[0].toFloatVector());
    }

    @Test
    void oneGradientIsCopiedAndNoneGivesZero()
    {
        final INDArray[] gradients = randomGradients(1, 13);
        final INDArray target = Nd4j.ones(DataType.FLOAT, 1, N);

        sum.sum(gradients, 1, target);
        assertArrayEquals(gradients[0].toFloatVector(), target.toFloatVector());

        final float[] before = gradients[0].toFloatVector();
        sum.sum(gradients, 1, gradients[0]);
        assertArrayEquals(before, gradients[0].toFloatVector());

        sum.sum(gradients, 0, target);
        assertArrayEquals(new float[N], target.toFloatVector());
    }

    @Test
    void rejectsATargetThatIsALaterInput()
    {
        final INDArray[] gradients = randomGradients(2, 14);
        assertThrows(IllegalArgumentException.class, () -> sum.sum(gradients, 2, gradients[1]));
    }

    private static INDArray[] randomGradients(final int count, final long seed)
    {
        final Random random = new Random(seed);
        final INDArray[] gradients = new INDArray[count];
        for (int g = 0; g < count; g++)
        {
            final float[] values = new float[N];
            for (int i = 0; i < N; i++)
            {
                values[i] = (float)(random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3));
            }
            gradients[g] = Nd4j.create(values, new long[] { 1, N }, DataType.FLOAT);
        }
        return gradients;
    }
}
