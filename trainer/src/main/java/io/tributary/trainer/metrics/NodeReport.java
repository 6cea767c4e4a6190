package io.tributary.trainer.metrics;

import java.util.Map;

/**
 * One node's line in metrics.json.
 *
 * @param rank             the node
 * @param host             the machine it ran on, as it reported itself at the rendezvous
 * @param bytesSent        bytes of data frames this node sent over all its rings, headers included
 * @param bytesReceived    bytes of data frames it accepted
 * @param commMs           latency percentiles of its cross-node allreduce calls (every ring's calls together)
 * @param phaseMs          per-step phase duration percentiles, keyed by {@link Phase#label()} in step order
 * @param samplesPerSecond this node's examples per second of step time
 * @param steps            steps trained
 * @param compression      per-step compression telemetry keyed by {@link CompressionStats#KEYS} (all zero when
 *                         nothing was measured)
 * @param strategy         the step-level strategy's own measurements keyed by {@link StrategyStats#KEYS}; empty
 *                         when it has none
 */
public record NodeReport(int rank, String host, long bytesSent, long bytesReceived, StepStats commMs,
    Map<String, StepStats> phaseMs, double samplesPerSecond, long steps, Map<String, StepStats> compression,
    Map<String, StepStats> strategy)
{
}
