package io.tributary.trainer.strategy;

import io.tributary.trainer.data.ExampleSet;
import io.tributary.trainer.replica.sync.SyncStep;

/**
 * A strategy whose steps are {@link SyncStep}s over some scheme: by default each step is that step on the whole
 * global batch and every check compares replicas and nodes; subclasses change what differs.
 */
abstract class SyncStepStrategy implements StepStrategy
{
    protected final SyncStep step;

    SyncStepStrategy(final SyncStep step)
    {
        this.step = step;
    }

    @Override
    public double step(final ExampleSet examples, final int[] order, final int from, final int size, final int epoch,
        final int globalExamples)
    {
        return step.step(examples, order, from, size, epoch, globalExamples);
    }

    @Override
    public final void startAt(final long globalStep)
    {
        step.startAt(globalStep);
    }

    @Override
    public final long steps()
    {
        return step.steps();
    }

    @Override
    public final long localExamples()
    {
        return step.localExamples();
    }

    @Override
    public long verify(final long globalStep)
    {
        return step.verifyReplicas(globalStep);
    }
}
