package io.tributary.trainer.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model to train: a builtin ({@code mlp} with hidden sizes and activation, or {@code lenet}) or a
 * {@code path} to a DL4J ModelSerializer zip or a MultiLayerNetwork / ComputationGraph configuration JSON.
 */
public record ModelConfig(Kind kind, List<Integer> hidden, String activation, Path path)
{
    public enum Kind
    {
        MLP, LENET, FILE
    }

    static final String[] ACTIVATIONS = { "relu", "leakyrelu", "tanh", "sigmoid", "elu", "gelu", "swish", "softplus",
        "identity" };

    static ModelConfig read(final ConfigReader r)
    {
        r.allow("builtin", "hidden", "activation", "path");
        final List<Integer> hidden = r.intList("hidden", List.of(512, 256), 1, 1 << 20);
        final String activation = r.choice("activation", "relu", ACTIVATIONS);
        if (r.has("path"))
        {
            if (r.has("builtin"))
            {
                throw r.error("path", "set either model.builtin or model.path, not both");
            }
            final Path path = Path.of(r.string("path", null));
            if (!Files.isRegularFile(path))
            {
                throw r.error("path", "expected a DL4J model zip or configuration JSON, but " + path + " is not a file");
            }
            return new ModelConfig(Kind.FILE, hidden, activation, path);
        }
        final String builtin = r.choice("builtin", "mlp", "mlp", "lenet");
        return new ModelConfig("mlp".equals(builtin) ? Kind.MLP : Kind.LENET, hidden, activation, null);
    }

    Map<String, Object> toMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        switch (kind)
        {
            case MLP:
                map.put("builtin", "mlp");
                map.put("hidden", hidden);
                map.put("activation", activation);
                break;
            case LENET:
                map.put("builtin", "lenet");
                break;
            default:
                map.put("path", path.toString());
        }
        return map;
    }
}
