package io.tributary.trainer.model;

import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each layer's gradient lies in the model's flat gradient: DL4J gives every layer a view of it, and the
 * view's offset is the layer's place. Layers without parameters have none.
 *
 * @param offsets each parameterised layer's first element, in flat (forward) order
 * @param lengths each one's element count
 */
public record GradientLayout(long[] offsets, long[] lengths)
{
    /** The layout of {@code layers} over {@code flat}; layers without a gradient view are skipped. */
    static GradientLayout of(final Layer[] layers, final INDArray flat)
    {
        final List<long[]> ranges = new ArrayList<>();
        for (final Layer layer : layers)
        {
            final long[] range = range(layer, flat);
            if (range != null)
            {
                ranges.add(range);
            }
        }
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        final long[] offsets = new long[ranges.size()];
        final long[] lengths = new long[ranges.size()];
        for (int i = 0; i < offsets.length; i++)
        {
            offsets[i] = ranges.get(i)[0];
            lengths[i] = ranges.get(i)[1];
        }
        return new GradientLayout(offsets, lengths);
    }

    /** {offset, length} of {@code layer}'s gradient in {@code flat}, or null when it has none. */
    static long[] range(final Layer layer, final INDArray flat)
    {
        final INDArray view = layer.numParams() == 0 ? null : layer.getGradientsViewArray();
        if (view == null || view.length() == 0)
        {
            return null;
        }
        // A view may carry its own DataBuffer over the same memory: compare addresses, not buffer objects.
        final long bytes = address(view) - address(flat);
        final long offset = bytes / Float.BYTES;
        if (bytes % Float.BYTES != 0 || offset < 0 || offset + view.length() > flat.length())
        {
            throw new ModelException("layer " + layer.getIndex() + "'s gradient is not a view of the flat gradient");
        }
        return new long[]{ offset, view.length() };
    }

    private static long address(final INDArray array)
    {
        return array.data().address() + array.offset() * array.data().getElementSize();
    }

    public int layers()
    {
        return offsets.length;
    }
}
