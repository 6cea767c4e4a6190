package io.tributary.trainer.cli;

import io.tributary.trainer.TrainingListener;
import io.tributary.trainer.TrainingPosition;
import io.tributary.trainer.checkpoint.NodeStates;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.model.TrainableModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The run's listener: progress lines on every node; on node 0 (the one with a run directory) the resumable
 * checkpoint.zip at every checkpoint the trainer offers and the kept checkpoint-epoch-E.zip every
 * {@code run.checkpoint_every} epochs. With a stop step, every node stops at the first checkpoint at or after
 * it (all nodes see the same checkpoints; never at the end of the run), which is how a test interrupts a
 * run at a known point.
 */
final class Checkpointing implements TrainingListener
{
    /** Thrown at the stop step's checkpoint; not an error. */
    static final class Stop extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        final TrainingPosition position;

        Stop(final TrainingPosition position)
        {
            super("stopped at global step " + position.globalStep(), null, false, false);
            this.position = position;
        }
    }

    private final ProgressLine progress;
    private final TrainConfig config;
    private final RunDirectory runDir;
    private final int trainExamples;
    private final String identity;
    private final long stopAfterSteps;
    private Path lastWritten;

    /**
     * @param runDir         null on nodes other than 0: they write nothing
     * @param stopAfterSteps 0 = never stop early
     */
    Checkpointing(final ProgressLine progress, final TrainConfig config, final RunDirectory runDir,
        final int trainExamples, final long stopAfterSteps)
    {
        this.progress = progress;
        this.config = config;
        this.runDir = runDir;
        this.trainExamples = trainExamples;
        // Once per run: it hashes the model and training files.
        this.identity = runDir != null ? ResumeIdentity.of(config) : null;
        this.stopAfterSteps = stopAfterSteps;
    }

    /** The newest complete checkpoint this node wrote, or null (always null on nodes other than 0). */
    Path lastWritten()
    {
        return lastWritten;
    }

    @Override
    public void onStep(final int epoch, final int step, final int stepsPerEpoch, final long samples,
        final long trainNanos, final double loss)
    {
        progress.onStep(epoch, step, stepsPerEpoch, samples, trainNanos, loss);
    }

    @Override
    public void onEpochEnd(final int epoch, final double accuracy, final TrainableModel model)
    {
        progress.onEpochEnd(epoch, accuracy, model);
        final int every = config.run().checkpointEvery();
        if (runDir != null && every > 0 && (epoch + 1) % every == 0 && epoch + 1 < config.run().epochs())
        {
            try
            {
                runDir.writeModel(model, "checkpoint-epoch-" + (epoch + 1) + ".zip");
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
    }

    @Override
    public void onCheckpoint(final TrainingPosition position, final TrainableModel model, final NodeStates states)
    {
        if (runDir != null)
        {
            try
            {
                lastWritten = runDir.writeCheckpoint(model, position, states, config, trainExamples, identity);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
        if (stopAfterSteps > 0 && position.globalStep() >= stopAfterSteps && position.epoch() < config.run().epochs())
        {
            throw new Stop(position);
        }
    }
}
