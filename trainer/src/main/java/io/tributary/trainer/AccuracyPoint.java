package io.tributary.trainer;

/**
 * One test-accuracy evaluation of a run: after global step {@code globalStep} (steps since the run's start), that
 * is {@code epoch} epochs (a fraction mid-epoch), with {@code trainSeconds} spent in training steps by then
 * (evaluation and checkpoints excluded).
 */
public record AccuracyPoint(long globalStep, double epoch, double trainSeconds, double accuracy)
{
}
