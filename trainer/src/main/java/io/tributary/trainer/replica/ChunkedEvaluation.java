package io.tributary.trainer.replica;

import io.tributary.trainer.data.BatchSplit;
import io.tributary.trainer.data.ExampleSet;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Counts correct predictions of a range of examples split across the replicas like a batch, in rounds of at
 * most {@code chunkRows} examples per replica. Between rounds it runs a check that may throw (the caller's
 * lost-peer check), so a long evaluation stops within one round of a lost peer. A round is one forward pass
 * of each replica's next {@code chunkRows} rows: the same batches as evaluating each slice in one call.
 */
public final class ChunkedEvaluation
{
    private final DeviceReplica[] replicas;
    private final ReplicaThreads threads;
    private final int chunkRows;
    private final AtomicIntegerArray correct;

    /**
     * @param chunkRows at most the replicas' {@code maxRows}, so each round is one forward pass per replica
     */
    public ChunkedEvaluation(final DeviceReplica[] replicas, final ReplicaThreads threads, final int chunkRows)
    {
        if (chunkRows < 1)
        {
            throw new IllegalArgumentException("chunkRows " + chunkRows + " < 1");
        }
        this.replicas = replicas;
        this.threads = threads;
        this.chunkRows = chunkRows;
        this.correct = new AtomicIntegerArray(replicas.length);
    }

    /**
     * @param order         example indices; {@code order[from .. from + size)} are evaluated
     * @param betweenRounds runs on the calling thread after every round; what it throws ends the evaluation
     * @return how many of them every replica together predicted correctly
     */
    public long countCorrect(final ExampleSet data, final int[] order, final int from, final int size,
        final Runnable betweenRounds)
    {
        final int parts = replicas.length;
        final int longest = BatchSplit.sliceSize(size, parts, 0);
        long total = 0;
        for (int done = 0; done < longest; done += chunkRows)
        {
            final int offset = done;
            threads.runOnAll(r ->
            {
                final int rows = Math.min(chunkRows, BatchSplit.sliceSize(size, parts, r) - offset);
                correct.set(r, rows <= 0 ? 0 :
                    replicas[r].countCorrect(data, order, from + BatchSplit.sliceStart(size, parts, r) + offset, rows));
            });
            for (int r = 0; r < parts; r++)
            {
                total += correct.get(r);
            }
            betweenRounds.run();
        }
        return total;
    }
}
