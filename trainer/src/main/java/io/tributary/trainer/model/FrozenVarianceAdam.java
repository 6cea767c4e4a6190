package io.tributary.trainer.model;

import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Map;

/**
 * Adam with its second moment frozen, as 1-bit Adam does after its warmup: the first moment still follows the
 * gradient, but each coordinate's step is divided by the bias-corrected root of v as it stood at the freeze.
 * The update is then linear in the gradient, so a sparse codec's error feedback, which delivers a coordinate's
 * accumulated gradient in one step, moves the parameters as far as the dense steps it stands for. Plain Adam
 * would divide that sum by its own root and move about one step's worth.
 * <p>
 * At iteration t (DL4J counts from 0, Adam from t + 1) plain DL4J Adam steps by
 * {@code lr * sqrt(1 - b2^(t+1)) / (1 - b1^(t+1)) * m / (sqrt(v) + eps)}. Frozen at iteration f, it steps by
 * {@code lr / (1 - b1^(t+1)) * m / d} with {@code d = (sqrt(v_f) + eps) / sqrt(1 - b2^(f+1))}, which equals the
 * plain step at t = f when v does not change. v stays in the state view untouched, so a checkpoint holds v_f and
 * a resumed run rebuilds the same d.
 * <p>
 * A coordinate whose gradient was zero through the warmup (a weight from a pixel that was blank in every batch)
 * has v = 0, and d = eps would turn its first gradient into a step of millions. So d is at least
 * {@value #FLOOR_OF_MEAN} of its block's mean d: such a coordinate moves at most ten times as far as a typical
 * one for the same gradient.
 */
final class FrozenVarianceAdam implements GradientUpdater<Adam>
{
    static final double FLOOR_OF_MEAN = 0.1;
    private static final Field BLOCK_UPDATER = blockUpdaterField();

    private final AdamUpdater adam;
    private final INDArray denominator;
    private INDArray gradientSource;
    private INDArray gradientView;

    private FrozenVarianceAdam(final AdamUpdater adam, final int freezeIteration)
    {
        this.adam = adam;
        final double beta2 = adam.getConfig().getBeta2();
        this.denominator = Transforms.sqrt(adam.getV(), true).addi(adam.getConfig().getEpsilon())
            .divi(Math.sqrt(1 - Math.pow(beta2, freezeIteration + 1)));
        Transforms.max(denominator, FLOOR_OF_MEAN * denominator.meanNumber().doubleValue(), false);
    }

    /**
     * Replaces the Adam updater of every block of {@code updater} with a frozen one, from the v it holds now.
     *
     * @return how many blocks it froze; blocks with another updater are left alone
     */
    static int freeze(final Updater updater, final int freezeIteration)
    {
        if (!(updater instanceof BaseMultiLayerUpdater<?> layers))
        {
            return 0;
        }
        for (final UpdaterBlock block : layers.getUpdaterBlocks())
        {
            if (block.getGradientUpdater() instanceof AdamUpdater adam)
            {
                set(block, new FrozenVarianceAdam(adam, freezeIteration));
            }
        }
        return adamBlocks(updater);
    }

    /** The blocks of {@code updater} that are Adam, frozen or not: those {@link #freeze} acts on. */
    static int adamBlocks(final Updater updater)
    {
        if (!(updater instanceof BaseMultiLayerUpdater<?> layers))
        {
            return 0;
        }
        int blocks = 0;
        for (final UpdaterBlock block : layers.getUpdaterBlocks())
        {
            final Object blockUpdater = block.getGradientUpdater();
            if (blockUpdater instanceof AdamUpdater || blockUpdater instanceof FrozenVarianceAdam)
            {
                blocks++;
            }
        }
        return blocks;
    }

    @Override
    public void applyUpdater(final INDArray gradient, final int iteration, final int epoch)
    {
        final Adam config = adam.getConfig();
        final double beta1 = config.getBeta1();
        final INDArray m = adam.getM();
        final INDArray g = viewOf(gradient, m);
        g.muli(1 - beta1);
        m.muli(beta1).addi(g);
        final double step = config.getLearningRate(iteration, epoch) / (1 - Math.pow(beta1, iteration + 1));
        g.assign(m).divi(denominator).muli(step);
    }

    // The block hands over the same gradient view every step; reshape it once.
    private INDArray viewOf(final INDArray gradient, final INDArray m)
    {
        if (gradient != gradientSource)
        {
            gradientSource = gradient;
            gradientView = Arrays.equals(gradient.shape(), m.shape()) ? gradient : gradient.reshape(m.shape());
        }
        return gradientView;
    }

    @Override
    public Adam getConfig()
    {
        return adam.getConfig();
    }

    @Override
    public void setState(final Map<String, INDArray> state, final boolean initialize)
    {
        throw new UnsupportedOperationException("a frozen Adam keeps the state it was frozen with");
    }

    @Override
    public Map<String, INDArray> getState()
    {
        return adam.getState();
    }

    @Override
    public void setStateViewArray(final INDArray view, final long[] gradientShape, final char order,
        final boolean initialize)
    {
        throw new UnsupportedOperationException("a frozen Adam keeps the state it was frozen with");
    }

    private static void set(final UpdaterBlock block, final GradientUpdater<?> updater)
    {
        try
        {
            BLOCK_UPDATER.set(block, updater);
        }
        catch (final IllegalAccessException e)
        {
            throw new IllegalStateException(e);
        }
    }

    // DL4J 1.0.0-M2.1 builds each block's updater once and offers no setter; the field is the only way in.
    private static Field blockUpdaterField()
    {
        try
        {
            final Field field = UpdaterBlock.class.getDeclaredField("gradientUpdater");
            field.setAccessible(true);
            return field;
        }
        catch (final NoSuchFieldException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }
}
