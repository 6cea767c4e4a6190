package io.tributary.trainer.replica.kernels;

import io.tributary.kernels.GradientKernels;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteBuffer;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The node sum on host memory (the ND4J CPU backend): {@link GradientKernels#sum} over zero-copy views of the
 * gradient arrays. A view is made once per array (DL4J keeps a model's gradient view for its lifetime), so
 * a step allocates nothing once each array has been seen.
 */
public final class HostKernelsSum extends KernelsNodeSum
{
    private final GradientKernels kernels;
    private final Map<INDArray, ByteBuffer> views = new IdentityHashMap<>();
    private ByteBuffer[] inputs = new ByteBuffer[0];

    /** @param kernels owned: closed with this */
    public HostKernelsSum(final GradientKernels kernels)
    {
        this.kernels = kernels;
    }

    @Override
    void sumInto(final INDArray[] gradients, final int count, final INDArray target)
    {
        if (inputs.length < count)
        {
            inputs = new ByteBuffer[count];
        }
        for (int i = 0; i < count; i++)
        {
            inputs[i] = view(gradients[i]);
        }
        kernels.sum(inputs, count, view(target), Math.toIntExact(target.length()));
    }

    @Override
    public void close()
    {
        kernels.close();
    }

    private ByteBuffer view(final INDArray array)
    {
        ByteBuffer view = views.get(array);
        if (view == null)
        {
            if (views.size() >= 64)
            {
                views.clear(); // Arrays come and go only when models are rebuilt: keep the cache bounded anyway.
            }
            view = HostArrays.floatView(array);
            views.put(array, view);
        }
        return view;
    }
}
