package io.tributary.trainer;

import io.tributary.trainer.cluster.JobTotals;
import io.tributary.trainer.cluster.World;
import io.tributary.trainer.data.BatchSplit;
import io.tributary.trainer.data.ExampleSet;
import io.tributary.trainer.replica.ChunkedEvaluation;

import java.util.stream.IntStream;

/**
 * Test accuracy of a node's replicas. With the job's own rings each node evaluates its slice of the test set and one
 * allreduce of the correct count gives every node the same accuracy (a lost peer stops it between forward passes);
 * on one node, or over a caller's reducer, this node evaluates the whole set.
 */
final class TestEvaluation
{
    private final ChunkedEvaluation evaluation;
    private final JobTotals totals;
    private final int nodes;
    private final int nodeRank;

    TestEvaluation(final ChunkedEvaluation evaluation, final JobTotals totals, final World world)
    {
        this.evaluation = evaluation;
        this.totals = totals;
        this.nodes = world.nodes();
        this.nodeRank = world.rank();
    }

    /** A collective when distributed: every node calls it at the same point. */
    double accuracy(final ExampleSet test)
    {
        final int size = test.size();
        final int[] identity = IntStream.range(0, size).toArray();
        final int parts = totals.isDistributed() ? nodes : 1;
        final int part = totals.isDistributed() ? nodeRank : 0;
        return (double)totals.sumCount(evaluation.countCorrect(test, identity, BatchSplit.sliceStart(size, parts, part),
            BatchSplit.sliceSize(size, parts, part), totals::checkPeers)) / size;
    }
}
