package io.tributary.trainer.strategy;

import io.tributary.trainer.checkpoint.NodeState;
import io.tributary.trainer.model.TrainableModel;
import io.tributary.trainer.replica.DeviceReplica;
import io.tributary.trainer.replica.kernels.HostArrays;
import io.tributary.trainer.replica.sync.GradientReducer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Local SGD's averaging across nodes, weighted by the examples each node trained since the last one. The anchor
 * holds the parameters all nodes shared then; each node sends its movement since, times its examples: the sum
 * divided by the job's examples is the weighted mean movement, added to the anchor. Summing movements, not
 * parameters, keeps the rounding at the scale of a period's movement (with one step per period and plain SGD
 * this is the sync step up to float summation order). With {@code updaterAcross} the updater state (Adam's
 * moments) is averaged too, by the same weights. The movements go through the reducer it is given (exact fp32, or
 * a codec with error feedback), the updater state through an exact fp32 allreduce. One node: nothing to average.
 *
 * <p>Its node state: the period's counts, the anchor, and this node's own parameters, updater state and
 * iteration count, which differ from node 0's (the checkpoint's model) between averagings.
 */
final class ParameterAveraging implements NodeState
{
    private static final String STATE_NAME = "local-sgd";

    private final DeviceReplica[] replicas;
    private final GradientReducer paramsAcross;
    private final GradientReducer updaterAcross;
    private final INDArray anchor;
    private final INDArray movement;
    private long nodeExamples;
    private long globalExamples;

    /**
     * @param paramsAcross  sums a vector over every node; null on one node
     * @param updaterAcross likewise, for the updater state; null: each node keeps its own
     */
    ParameterAveraging(final DeviceReplica[] replicas, final GradientReducer paramsAcross,
        final GradientReducer updaterAcross)
    {
        this.replicas = replicas;
        this.paramsAcross = paramsAcross;
        this.updaterAcross = updaterAcross;
        final long n = replicas[0].model().numParams();
        this.anchor = Nd4j.create(DataType.FLOAT, 1, n);
        this.movement = Nd4j.create(DataType.FLOAT, 1, n);
    }

    /** Whether the nodes trained apart since the last averaging. */
    boolean pending()
    {
        return globalExamples > 0;
    }

    /** The first local step of a period begins: its parameters are every node's. */
    void startPeriod()
    {
        anchor.assign(replicas[0].model().params());
    }

    /** A local step trained {@code nodeExamples} of a global batch of {@code globalExamples}. */
    void record(final int node, final int global)
    {
        nodeExamples += node;
        globalExamples += global;
    }

    /** Every node calls it at the same step: afterwards every replica of every node holds the same parameters. */
    void average(final long globalStep)
    {
        if (paramsAcross != null)
        {
            final TrainableModel first = replicas[0].model();
            movement.assign(first.params()).subi(anchor).muli(nodeExamples);
            paramsAcross.allReduce(movement, globalStep);
            anchor.addi(movement.divi(globalExamples));
            for (final DeviceReplica replica : replicas)
            {
                replica.model().params().assign(anchor);
            }
            final INDArray state = first.updaterState();
            if (updaterAcross != null && state != null && state.length() > 0)
            {
                state.muli(nodeExamples);
                updaterAcross.allReduce(state, globalStep);
                state.divi(globalExamples);
                for (int r = 1; r < replicas.length; r++)
                {
                    replicas[r].model().updaterState().assign(state);
                }
            }
        }
        nodeExamples = 0;
        globalExamples = 0;
    }

    @Override
    public void writeState(final DataOutput out) throws IOException
    {
        final TrainableModel first = replicas[0].model();
        out.writeUTF(STATE_NAME);
        out.writeLong(nodeExamples);
        out.writeLong(globalExamples);
        out.writeInt(first.iteration());
        writeFloats(out, anchor);
        writeFloats(out, first.params());
        writeFloats(out, first.updaterState());
    }

    @Override
    public void readState(final DataInput in) throws IOException
    {
        final String name = in.readUTF();
        if (!STATE_NAME.equals(name))
        {
            throw new IOException("state of " + name + ", expected " + STATE_NAME);
        }
        nodeExamples = in.readLong();
        globalExamples = in.readLong();
        final int iteration = in.readInt();
        readFloats(in, anchor);
        final TrainableModel first = replicas[0].model();
        readFloats(in, first.params());
        readFloats(in, first.updaterState());
        for (final DeviceReplica replica : replicas)
        {
            replica.model().setIteration(iteration);
            if (replica != replicas[0])
            {
                replica.model().params().assign(first.params());
                final INDArray state = replica.model().updaterState();
                if (state != null && state.length() > 0)
                {
                    state.assign(first.updaterState());
                }
            }
        }
    }

    private static void writeFloats(final DataOutput out, final INDArray array) throws IOException
    {
        final int length = array == null ? 0 : Math.toIntExact(array.length());
        out.writeInt(length);
        if (length > 0)
        {
            final byte[] bits = new byte[length * Float.BYTES];
            HostArrays.floatView(array).get(0, bits);
            out.write(bits);
        }
    }

    private static void readFloats(final DataInput in, final INDArray array) throws IOException
    {
        final int expected = array == null ? 0 : Math.toIntExact(array.length());
        final int length = in.readInt();
        if (length != expected)
        {
            throw new IOException("local-sgd state of " + length + " values, this model has " + expected);
        }
        if (length > 0)
        {
            final byte[] bits = new byte[length * Float.BYTES];
            in.readFully(bits);
            final ByteBuffer view = HostArrays.floatView(array);
            view.put(0, bits);
        }
    }
}
