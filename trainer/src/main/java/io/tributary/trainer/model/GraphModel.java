package io.tributary.trainer.model;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.File;
import java.io.IOException;

/** {@link TrainableModel} over a {@link ComputationGraph} with exactly one input and one output. */
public final class GraphModel implements TrainableModel
{
    private final ComputationGraph graph;
    private final StepView stepView = new StepView();

    public GraphModel(final ComputationGraph graph)
    {
        if (graph.getNumInputArrays() != 1 || graph.getNumOutputArrays() != 1)
        {
            throw new ModelException("a ComputationGraph needs exactly one input and one output to train on " +
                "(features, labels); this one has " + graph.getNumInputArrays() + " inputs and " +
                graph.getNumOutputArrays() + " outputs");
        }
        this.graph = graph;
    }

    @Override
    public void computeGradient(final INDArray features, final INDArray labels)
    {
        graph.setInput(0, features);
        graph.setLabel(0, labels);
        graph.computeGradientAndScore();
    }

    @Override
    public double score()
    {
        return graph.score();
    }

    @Override
    public INDArray flatGradients()
    {
        return graph.getFlattenedGradients();
    }

    @Override
    public INDArray params()
    {
        return graph.params();
    }

    @Override
    public long numParams()
    {
        return graph.numParams();
    }

    @Override
    public void applyUpdate(final int epoch, final int batchSize)
    {
        final int iteration = graph.getIterationCount();
        graph.getUpdater().update(graph.gradient(), iteration, epoch, batchSize, LayerWorkspaceMgr.noWorkspaces());
        graph.params().subi(stepView.of(graph.getFlattenedGradients(), graph.params()));
        graph.getConfiguration().setIterationCount(iteration + 1);
    }

    @Override
    public int iteration()
    {
        return graph.getIterationCount();
    }

    @Override
    public void setIteration(final int iteration)
    {
        graph.getConfiguration().setIterationCount(iteration);
    }

    @Override
    public int epoch()
    {
        return graph.getEpochCount();
    }

    @Override
    public void setEpoch(final int epoch)
    {
        graph.getConfiguration().setEpochCount(epoch);
    }

    @Override
    public INDArray updaterState()
    {
        return graph.getUpdater().getStateViewArray();
    }

    @Override
    public int freezeAdamVariance(final int freezeIteration)
    {
        return FrozenVarianceAdam.freeze(graph.getUpdater(), freezeIteration);
    }

    @Override
    public int adamBlocks()
    {
        return FrozenVarianceAdam.adamBlocks(graph.getUpdater());
    }

    @Override
    public INDArray output(final INDArray features)
    {
        return graph.outputSingle(false, features);
    }

    @Override
    public GradientLayout gradientLayout()
    {
        return GradientLayout.of(graph.getLayers(), gradients());
    }

    @Override
    public void installBackpropHook(final BackpropHook hook)
    {
        final INDArray flat = gradients();
        graph.getUpdater(); // built from the plain layers, before any is wrapped
        for (final GraphVertex vertex : graph.getVertices())
        {
            if (vertex instanceof LayerVertex layerVertex && !layerVertex.isOutputVertex() &&
                !(layerVertex.getLayer() instanceof HookedLayer))
            {
                final long[] range = GradientLayout.range(layerVertex.getLayer(), flat);
                if (range != null)
                {
                    layerVertex.setLayer(new HookedLayer(layerVertex.getLayer(), hook, range[0], range[1]));
                }
            }
        }
    }

    private INDArray gradients()
    {
        if (graph.getFlattenedGradients() == null)
        {
            graph.initGradientsView();
        }
        return graph.getFlattenedGradients();
    }

    @Override
    public TrainableModel copy()
    {
        return new GraphModel(graph.clone());
    }

    @Override
    public Model dl4jModel()
    {
        return graph;
    }

    @Override
    public void save(final File file) throws IOException
    {
        ModelSerializer.writeModel(graph, file, true);
    }
}
