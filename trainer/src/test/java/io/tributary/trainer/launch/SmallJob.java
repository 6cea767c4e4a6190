package io.tributary.trainer.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Synthetic runs small enough for process tests: an MLP [8] on 4 features and 3 classes, plain SGD (its
 * update is linear in the gradient, so parameters differ between splits only by float summation order).
 */
final class SmallJob
{
    static final int BATCH = 24;

    private SmallJob()
    {
    }

    /**
     * @param steps    steps per epoch (data.size = steps x batch)
     * @param epochs   run.epochs
     * @param devices  cluster.devices
     * @param scheme   cluster.scheme
     * @param extra    further YAML lines under run:, such as "checkpoint_steps: 5"
     */
    static Path write(final Path dir, final int steps, final int epochs, final int devices, final String scheme,
        final String... extra) throws IOException
    {
        return write(dir, steps, epochs, Integer.toString(devices), scheme, extra);
    }

    /** @param devices one count for every node, or a YAML list of one per node */
    static Path write(final Path dir, final int steps, final int epochs, final String devices, final String scheme,
        final String... extra) throws IOException
    {
        final StringBuilder yaml = new StringBuilder(String.join("\n",
            "model:", "  builtin: mlp", "  hidden: [8]",
            "data:", "  type: synthetic", "  size: " + steps * BATCH, "  test_size: 24", "  features: 4",
            "  classes: 3", "  seed: 11",
            "optimizer:", "  type: sgd", "  lr: 0.05",
            "strategy:", "  check_every: 5",
            "cluster:", "  devices: " + devices, "  scheme: " + scheme, "  timeout_s: 10",
            "run:", "  epochs: " + epochs, "  batch_size: " + BATCH, "  seed: 5", "  eval_each_epoch: false",
            "  out: " + dir.resolve("runs"), ""));
        for (final String line : extra)
        {
            yaml.append("  ").append(line).append('\n');
        }
        return Files.writeString(dir.resolve("job-" + devices.replaceAll("\\W", "") + "-" + scheme + ".yaml"),
            yaml.toString());
    }
}
