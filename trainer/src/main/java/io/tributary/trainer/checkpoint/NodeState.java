package io.tributary.trainer.checkpoint;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * State that lives on one node and differs between nodes (a codec's residual, a strategy's local optimiser
 * state): what a resumed run needs besides the model, which every node holds identically. Each part of a
 * strategy that has such state contributes it through this one interface; the checkpoint stores every node's.
 */
public interface NodeState
{
    /** Writes what a resumed run needs to continue bit-identically. */
    void writeState(DataOutput out) throws IOException;

    /** Restores what {@link #writeState} wrote; throws IOException when it is not this part's state. */
    void readState(DataInput in) throws IOException;
}
