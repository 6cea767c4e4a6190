package io.tributary.trainer.cluster;

import io.tributary.trainer.TrainingListener;
import io.tributary.trainer.config.ClusterConfig;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.transport.PeerLostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node that stops mid-epoch (here: its listener throws after step 5, and closing its Trainer leaves the job)
 * surfaces on the survivor as {@link PeerLostException} naming it, thrown out of Trainer.train as itself:
 * under sharded the allreduce runs on replica threads, and the exception must still not come back wrapped.
 */
class PeerLossTest
{
    private static final int STOP_AFTER = 5;

    @ParameterizedTest
    @ValueSource(strings = { ClusterConfig.LEADER, ClusterConfig.SHARDED })
    void theSurvivorNamesTheLostNode(final String scheme) throws Exception
    {
        final TrainConfig config = InProcessJob.config(MultiNodeExactnessTest.MLP + "optimizer:\n  type: sgd\n", 2, 2,
            scheme);
        final List<Throwable> failures = InProcessJob.run(config, InProcessJob.data(config), trainer ->
        {
            final int rank = trainer.world().rank();
            final long start = System.nanoTime();
            try
            {
                trainer.train(new StopAfter(rank == 1 ? STOP_AFTER : Integer.MAX_VALUE));
                return null;
            }
            catch (final RuntimeException ex)
            {
                if (rank == 0)
                {
                    final double seconds = (System.nanoTime() - start) / 1e9;
                    assertTrue(seconds < 15, "the survivor took " + seconds + " s to notice");
                }
                return ex;
            }
        });
        assertTrue(failures.get(1) instanceof IllegalStateException, String.valueOf(failures.get(1)));
        final Throwable survivor = failures.get(0);
        assertTrue(survivor instanceof PeerLostException, "expected PeerLostException, got " + survivor);
        assertEquals(1, ((PeerLostException)survivor).lostRank());
    }

    private record StopAfter(int steps) implements TrainingListener
    {
        @Override
        public void onStep(final int epoch, final int step, final int stepsPerEpoch, final long samples,
            final long nanos, final double loss)
        {
            if (step + 1 == steps)
            {
                throw new IllegalStateException("stopped after step " + step);
            }
        }
    }
}
