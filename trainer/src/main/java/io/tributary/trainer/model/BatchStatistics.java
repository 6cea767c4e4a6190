package io.tributary.trainer.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the parameters DL4J moves by per-batch statistics instead of by a gradient divided by the batch size
 * (BatchNormalization's running mean and variance). Summing those over replicas is not the same as one
 * replica on the whole batch, so exact synchronous training over several devices must refuse them.
 */
public final class BatchStatistics
{
    private BatchStatistics()
    {
    }

    /** "layer/param" for every such parameter; empty for most models. */
    public static List<String> undividedParameters(final Model model)
    {
        final Layer[] layers = model instanceof ComputationGraph ? ((ComputationGraph)model).getLayers() :
            ((MultiLayerNetwork)model).getLayers();
        final List<String> names = new ArrayList<>();
        for (final Layer layer : layers)
        {
            for (final String param : layer.paramTable(false).keySet())
            {
                if (!layer.updaterDivideByMinibatch(param))
                {
                    final String layerName = layer.getConfig().getLayerName();
                    names.add((layerName != null ? layerName : "layer " + layer.getIndex()) + "/" + param);
                }
            }
        }
        return names;
    }
}
