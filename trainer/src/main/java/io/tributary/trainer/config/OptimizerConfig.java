package io.tributary.trainer.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The DL4J updater every replica applies to the averaged gradient. {@code lrGamma} decays the learning rate once
 * per epoch, lr * gamma^epoch, as PyTorch's ExponentialLR does; 1 keeps it constant.
 */
public record OptimizerConfig(Kind kind, double learningRate, double weightDecay, double momentum, double lrGamma)
{
    public enum Kind
    {
        SGD, NESTEROV, ADAM
    }

    public OptimizerConfig(final Kind kind, final double learningRate, final double weightDecay, final double momentum)
    {
        this(kind, learningRate, weightDecay, momentum, 1);
    }

    public boolean decays()
    {
        return lrGamma != 1;
    }

    static OptimizerConfig read(final ConfigReader r)
    {
        r.allow("type", "lr", "weight_decay", "momentum", "lr_gamma");
        final String type = r.choice("type", "adam", "sgd", "nesterov", "adam");
        final double lr = r.number("lr", 1e-3, 0, true, 10);
        final double weightDecay = r.number("weight_decay", 0, 0, false, 1);
        final double momentum = r.number("momentum", 0.9, 0, false, 0.999999);
        final double lrGamma = r.number("lr_gamma", 1, 0, true, 1);
        return new OptimizerConfig(Kind.valueOf(type.toUpperCase()), lr, weightDecay, momentum, lrGamma);
    }

    Map<String, Object> toMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("type", kind.name().toLowerCase());
        map.put("lr", learningRate);
        map.put("weight_decay", weightDecay);
        if (decays())
        {
            map.put("lr_gamma", lrGamma);
        }
        if (kind == Kind.NESTEROV)
        {
            map.put("momentum", momentum);
        }
        return map;
    }
}
