package io.tributary.trainer.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.File;
import java.io.IOException;

/** {@link TrainableModel} over a {@link MultiLayerNetwork}, with the calls plain DL4J's SGD solver makes. */
public final class MultiLayerModel implements TrainableModel
{
    private final MultiLayerNetwork net;
    private final StepView stepView = new StepView();

    public MultiLayerModel(final MultiLayerNetwork net)
    {
        this.net = net;
    }

    @Override
    public void computeGradient(final INDArray features, final INDArray labels)
    {
        net.setInput(features);
        net.setLabels(labels);
        net.computeGradientAndScore();
    }

    @Override
    public double score()
    {
        return net.score();
    }

    @Override
    public INDArray flatGradients()
    {
        return net.getFlattenedGradients();
    }

    @Override
    public INDArray params()
    {
        return net.params();
    }

    @Override
    public long numParams()
    {
        return net.numParams();
    }

    @Override
    public void applyUpdate(final int epoch, final int batchSize)
    {
        final int iteration = net.getIterationCount();
        net.getUpdater().update(net, net.gradient(), iteration, epoch, batchSize, LayerWorkspaceMgr.noWorkspaces());
        net.params().subi(stepView.of(net.getFlattenedGradients(), net.params()));
        net.setIterationCount(iteration + 1);
    }

    @Override
    public int iteration()
    {
        return net.getIterationCount();
    }

    @Override
    public void setIteration(final int iteration)
    {
        net.setIterationCount(iteration);
    }

    @Override
    public int epoch()
    {
        return net.getEpochCount();
    }

    @Override
    public void setEpoch(final int epoch)
    {
        net.setEpochCount(epoch);
    }

    @Override
    public INDArray updaterState()
    {
        return net.getUpdater().getStateViewArray();
    }

    @Override
    public int freezeAdamVariance(final int freezeIteration)
    {
        return FrozenVarianceAdam.freeze(net.getUpdater(), freezeIteration);
    }

    @Override
    public int adamBlocks()
    {
        return FrozenVarianceAdam.adamBlocks(net.getUpdater());
    }

    @Override
    public INDArray output(final INDArray features)
    {
        return net.output(features, false);
    }

    @Override
    public GradientLayout gradientLayout()
    {
        return GradientLayout.of(net.getLayers(), gradients());
    }

    @Override
    public void installBackpropHook(final BackpropHook hook)
    {
        final INDArray flat = gradients();
        net.getUpdater(); // built from the plain layers, before any is wrapped
        final Layer[] layers = net.getLayers();
        for (int i = 0; i < layers.length - 1; i++)
        {
            final long[] range = GradientLayout.range(layers[i], flat);
            if (range != null && !(layers[i] instanceof HookedLayer))
            {
                layers[i] = new HookedLayer(layers[i], hook, range[0], range[1]);
            }
        }
        net.setLayers(layers);
    }

    private INDArray gradients()
    {
        if (net.getFlattenedGradients() == null)
        {
            net.initGradientsView();
        }
        return net.getFlattenedGradients();
    }

    @Override
    public TrainableModel copy()
    {
        return new MultiLayerModel(net.clone());
    }

    @Override
    public Model dl4jModel()
    {
        return net;
    }

    @Override
    public void save(final File file) throws IOException
    {
        ModelSerializer.writeModel(net, file, true);
    }
}
