package io.tributary.trainer;

import io.tributary.trainer.balance.LoadBalancer;
import io.tributary.trainer.metrics.StepStats;
import io.tributary.trainer.model.TrainableModel;

import java.util.List;

/**
 * What a run produced: the trained model (replica 0; every replica is bit-identical) and its measurements.
 * {@code samplesPerSec} counts training steps only, not evaluation. {@code accuracyCurve} holds every evaluation
 * ({@code run.eval_every_steps} and epoch ends); its last entry is {@code testAccuracy}. {@code shares} are the
 * shares the last batch was cut by, one per device, node-major; {@code shareChanges} every change of them;
 * {@code lastPlan} the shares and measurements of the last plan, taken or not (null when none ran);
 * {@code droppedContributions} per node, the steps that went without its contribution (backup nodes).
 * {@code devices} are this node's, {@code devicesPerNode} every node's by rank.
 */
public record TrainResult(
    TrainableModel model,
    int epochs,
    int devices,
    int nodes,
    List<Integer> devicesPerNode,
    long steps,
    long samples,
    double trainSeconds,
    double samplesPerSec,
    double testAccuracy,
    List<Double> epochAccuracy,
    List<AccuracyPoint> accuracyCurve,
    double finalLoss,
    StepStats stepMs,
    long paramChecksum,
    List<Double> shares,
    List<LoadBalancer.ShareChange> shareChanges,
    LoadBalancer.ShareChange lastPlan,
    long[] droppedContributions)
{
}
