package io.tributary.trainer.replica;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FiniteParametersTest
{
    @Test
    void finiteParametersPass()
    {
        assertDoesNotThrow(() -> FiniteParameters.check(Nd4j.createFromArray(1f, -2f, Float.MAX_VALUE, 0f), 5, 0.3));
    }

    @Test
    void namesTheFirstParameterThatIsNaNOrInfinite()
    {
        final INDArray params = Nd4j.createFromArray(1f, 2f, 3f, Float.NaN, Float.POSITIVE_INFINITY);
        assertEquals("training diverged: parameter 3 is NaN after global step 7 (loss NaN); lower optimizer.lr or " +
            "check the data",
            assertThrows(ReplicaDivergenceException.class, () -> FiniteParameters.check(params, 7, Double.NaN))
                .getMessage());
    }

    @Test
    void countsFromTheStartOfAViewIntoAFlatBuffer()
    {
        final INDArray flat = Nd4j.createFromArray(Float.NaN, 1f, 2f, Float.NEGATIVE_INFINITY, 4f).reshape(1, 5);
        final INDArray view = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(1, 5));
        assertEquals("training diverged: parameter 2 is -Infinity after global step 1 (loss 2.5); lower optimizer.lr " +
            "or check the data",
            assertThrows(ReplicaDivergenceException.class, () -> FiniteParameters.check(view, 1, 2.5)).getMessage());
    }
}
