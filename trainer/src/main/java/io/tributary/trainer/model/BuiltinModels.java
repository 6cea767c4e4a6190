package io.tributary.trainer.model;

import io.tributary.trainer.config.OptimizerConfig;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.util.List;

/** The builtin network configurations: a fully connected MLP and a LeNet-style CNN. */
public final class BuiltinModels
{
    private BuiltinModels()
    {
    }

    public static MultiLayerConfiguration mlp(final int features, final int classes, final List<Integer> hidden,
        final String activation, final OptimizerConfig optimizer, final long seed)
    {
        final NeuralNetConfiguration.ListBuilder list = base(optimizer, seed).list();
        int in = features;
        for (final int width : hidden)
        {
            list.layer(new DenseLayer.Builder().nIn(in).nOut(width).activation(activation(activation)).build());
            in = width;
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
            .nIn(in).nOut(classes).activation(Activation.SOFTMAX).build());
        return list.build();
    }

    /**
     * LeNet on square single-channel images given as flat rows of side*side features (as Fashion-MNIST is):
     * conv 5x5x20, max-pool 2, conv 5x5x50, max-pool 2, dense 500, softmax. Needs side >= 16.
     */
    public static MultiLayerConfiguration lenet(final int features, final int classes, final OptimizerConfig optimizer,
        final long seed)
    {
        final int side = (int)Math.round(Math.sqrt(features));
        if (side * side != features || side < 16)
        {
            throw new ModelException("model.builtin lenet needs square single-channel images of at least 16x16 " +
                "given as flat rows; the data has " + features + " features per example");
        }
        return base(optimizer, seed).list()
            .layer(new ConvolutionLayer.Builder(5, 5).nOut(20).stride(1, 1).activation(Activation.RELU).build())
            .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
            .layer(new ConvolutionLayer.Builder(5, 5).nOut(50).stride(1, 1).activation(Activation.RELU).build())
            .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
            .layer(new DenseLayer.Builder().nOut(500).activation(Activation.RELU).build())
            .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes).activation(Activation.SOFTMAX).build())
            .setInputType(InputType.convolutionalFlat(side, side, 1))
            .build();
    }

    public static IUpdater updater(final OptimizerConfig optimizer)
    {
        final IUpdater updater;
        switch (optimizer.kind())
        {
            case SGD:
                updater = new Sgd(optimizer.learningRate());
                break;
            case NESTEROV:
                updater = new Nesterovs(optimizer.learningRate(), optimizer.momentum());
                break;
            default:
                updater = new Adam(optimizer.learningRate());
        }
        if (optimizer.decays())
        {
            updater.setLrAndSchedule(optimizer.learningRate(),
                new ExponentialSchedule(ScheduleType.EPOCH, optimizer.learningRate(), optimizer.lrGamma()));
        }
        return updater;
    }

    private static NeuralNetConfiguration.Builder base(final OptimizerConfig optimizer, final long seed)
    {
        final NeuralNetConfiguration.Builder builder = new NeuralNetConfiguration.Builder()
            .seed(seed)
            .dataType(DataType.FLOAT)
            .weightInit(WeightInit.XAVIER)
            .updater(updater(optimizer));
        if (optimizer.weightDecay() > 0)
        {
            builder.weightDecay(optimizer.weightDecay());
        }
        return builder;
    }

    private static Activation activation(final String name)
    {
        return "leakyrelu".equals(name) ? Activation.LEAKYRELU : Activation.valueOf(name.toUpperCase());
    }
}
