package io.tributary.trainer.cli;

import io.tributary.trainer.TrainingListener;
import io.tributary.trainer.model.TrainableModel;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * Prints a progress line at most every few seconds, and one at the end of each epoch. On a node of several,
 * a step's loss is the node's own slice's ("node loss"); the epoch-end line's is the whole global batch's,
 * the same on every node (the trainer reduces the epoch's last step).
 */
final class ProgressLine implements TrainingListener
{
    private final PrintStream out;
    private final int epochs;
    private final long intervalNanos;
    private final String stepLossLabel;
    private final Supplier<String> wire;
    private long lastPrint = System.nanoTime();
    private int lastEpoch;
    private int lastStep;
    private int lastStepsPerEpoch;
    private long lastSamples;
    private long lastTrainNanos;
    private double lastLoss;

    /**
     * @param multiNode whether this is one node of several, whose step losses are its own slice's
     * @param wire      the traffic since the last line, e.g. {@code "  wire 21 KB/step (102x)"}, or ""
     */
    ProgressLine(final PrintStream out, final int epochs, final long intervalNanos, final boolean multiNode,
        final Supplier<String> wire)
    {
        this.wire = wire;
        this.out = out;
        this.epochs = epochs;
        this.intervalNanos = intervalNanos;
        this.stepLossLabel = multiNode ? "node loss" : "loss";
    }

    @Override
    public void onStep(final int epoch, final int step, final int stepsPerEpoch, final long samples,
        final long trainNanos, final double loss)
    {
        lastEpoch = epoch;
        lastStep = step;
        lastStepsPerEpoch = stepsPerEpoch;
        lastSamples = samples;
        lastTrainNanos = trainNanos;
        lastLoss = loss;
        final long now = System.nanoTime();
        if (now - lastPrint >= intervalNanos && step + 1 < stepsPerEpoch)
        {
            lastPrint = now;
            out.println(line(stepLossLabel, ""));
        }
    }

    @Override
    public void onEpochEnd(final int epoch, final double accuracy, final TrainableModel model)
    {
        lastPrint = System.nanoTime();
        out.println(line("loss", Double.isNaN(accuracy) ? "" : String.format("  test acc %.4f", accuracy)));
    }

    private String line(final String lossLabel, final String suffix)
    {
        final double seconds = lastTrainNanos / 1e9;
        final double rate = seconds > 0 ? lastSamples / seconds : 0;
        final long stepsDone = (long)lastEpoch * lastStepsPerEpoch + lastStep + 1;
        final long stepsLeft = (long)epochs * lastStepsPerEpoch - stepsDone;
        final double eta = stepsDone > 0 ? seconds / stepsDone * stepsLeft : 0;
        return String.format("epoch %d/%d  step %d/%d  %.0f samples/s  %s %.4f%s  ETA %s%s", lastEpoch + 1, epochs,
            lastStep + 1, lastStepsPerEpoch, rate, lossLabel, lastLoss, wire.get(), duration(eta), suffix);
    }

    static String duration(final double seconds)
    {
        final long s = Math.round(seconds);
        if (s >= 3600)
        {
            return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        return s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
