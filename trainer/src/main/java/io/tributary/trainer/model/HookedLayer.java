package io.tributary.trainer.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A hidden layer that tells a {@link BackpropHook} when backprop reaches it and when its own gradient is done:
 * on entry every layer after it has finished, on return it has too. DL4J has no per-layer gradient hook; this
 * wrapper (DL4J's own delegating {@link BaseWrapperLayer}) is one, and it leaves the arithmetic untouched.
 * Output layers are never wrapped: DL4J finds them by type.
 */
final class HookedLayer extends BaseWrapperLayer
{
    private static final long serialVersionUID = 1L;

    private final transient BackpropHook hook;
    private final long offset;
    private final long end;

    /** @param offset where the layer's gradient starts in the flat gradient; {@code length} its size */
    HookedLayer(final Layer underlying, final BackpropHook hook, final long offset, final long length)
    {
        super(underlying);
        this.hook = hook;
        this.offset = offset;
        this.end = offset + length;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(final INDArray epsilon, final LayerWorkspaceMgr workspaceMgr)
    {
        hook.finalFrom(end);
        final Pair<Gradient, INDArray> result = underlying.backpropGradient(epsilon, workspaceMgr);
        hook.finalFrom(offset);
        return result;
    }
}
