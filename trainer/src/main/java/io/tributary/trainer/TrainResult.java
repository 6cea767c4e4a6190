package io.tributary.trainer;

import io.tributary.trainer.metrics.StepStats;
import io.tributary.trainer.model.TrainableModel;

import java.util.List;

/**
 * What a run produced: the trained model (replica 0; every replica is bit-identical) and its measurements.
 * {@code samplesPerSec} counts training steps only, not evaluation. {@code accuracyCurve} holds every evaluation
 * ({@code run.eval_every_steps} and epoch ends); its last entry is {@code testAccuracy}.
 */
public record TrainResult(
    TrainableModel model,
    int epochs,
    int devices,
    int nodes,
    long steps,
    long samples,
    double trainSeconds,
    double samplesPerSec,
    double testAccuracy,
    List<Double> epochAccuracy,
    List<AccuracyPoint> accuracyCurve,
    double finalLoss,
    StepStats stepMs,
    long paramChecksum)
{
}
