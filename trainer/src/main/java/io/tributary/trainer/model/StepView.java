package io.tributary.trainer.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The flat gradient reshaped to the parameter vector's shape (DL4J keeps one as [1, n], the other as [n]),
 * made once and reused while the gradient view stays the same array.
 */
final class StepView
{
    private INDArray source;
    private INDArray view;

    INDArray of(final INDArray gradient, final INDArray params)
    {
        if (gradient != source)
        {
            source = gradient;
            view = java.util.Arrays.equals(gradient.shape(), params.shape()) ? gradient : gradient.reshape(params.shape());
        }
        return view;
    }
}
