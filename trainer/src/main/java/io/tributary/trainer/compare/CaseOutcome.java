package io.tributary.trainer.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What one case of a comparison measured, from node 0's metrics.json (or the DDP row's result): samples/s over the
 * training steps, the final test accuracy, the accuracy curve against training seconds (evaluation excluded), the
 * bytes node 0 sent per step, and the communication share (the mean inter-node reduce over the mean step; NaN
 * where it is not measured). A case that failed or diverged carries its {@code status} and no numbers.
 */
public record CaseOutcome(String strategy, int repeat, String status, double samplesPerSec, double testAccuracy,
    List<CurvePoint> curve, double bytesPerStep, double commShare, double wallSeconds)
{
    public static final String OK = "ok";
    private static final ObjectMapper JSON = new ObjectMapper();

    public CaseOutcome
    {
        curve = List.copyOf(curve);
    }

    /** Test accuracy after {@code seconds} of training. */
    public record CurvePoint(double seconds, double accuracy)
    {
    }

    public boolean ok()
    {
        return OK.equals(status);
    }

    /** A case without numbers: it failed or diverged, as {@code status} says. */
    public static CaseOutcome failed(final String strategy, final int repeat, final String status,
        final double wallSeconds)
    {
        return new CaseOutcome(strategy, repeat, status, Double.NaN, Double.NaN, List.of(), Double.NaN, Double.NaN,
            wallSeconds);
    }

    /** The case of run directory {@code runDir}; diverged when its loss or accuracy is not a number. */
    public static CaseOutcome read(final String strategy, final int repeat, final Path runDir, final double wallSeconds)
        throws IOException
    {
        final JsonNode metrics = JSON.readTree(Files.readString(runDir.resolve("metrics.json")));
        final JsonNode node0 = metrics.path("nodes").path(0);
        final double steps = metrics.path("steps").asDouble();
        final double meanStep = metrics.path("step_ms").path("mean").asDouble(Double.NaN);
        final JsonNode inter = node0.path("phase_ms").path("inter_reduce").path("mean");
        final double commShare = inter.isMissingNode() ? (node0.isMissingNode() ? 0 : Double.NaN) :
            inter.asDouble() / meanStep;
        final double bytes = node0.isMissingNode() ? 0 : node0.path("bytes_sent").asDouble() / steps;
        final CaseOutcome outcome = new CaseOutcome(strategy, repeat, OK, metrics.path("samples_per_sec").asDouble(),
            number(metrics.path("test_accuracy")), curve(metrics.path("accuracy_curve")), bytes, commShare,
            wallSeconds);
        if (!Double.isFinite(number(metrics.path("final_loss"))) || !Double.isFinite(outcome.testAccuracy()))
        {
            return failed(strategy, repeat, "diverged (loss " + metrics.path("final_loss").asText() + ")", wallSeconds);
        }
        return outcome;
    }

    static List<CurvePoint> curve(final JsonNode points)
    {
        final List<CurvePoint> curve = new ArrayList<>();
        for (final JsonNode point : points)
        {
            curve.add(new CurvePoint(point.path("train_seconds").asDouble(), number(point.path("accuracy"))));
        }
        return curve;
    }

    /** Training seconds of the first evaluation at or above {@code target}; NaN when none reached it. */
    public double secondsTo(final double target)
    {
        for (final CurvePoint point : curve)
        {
            if (point.accuracy() >= target)
            {
                return point.seconds();
            }
        }
        return Double.NaN;
    }

    private static double number(final JsonNode node)
    {
        return node.isNumber() ? node.asDouble() : Double.NaN;
    }
}
