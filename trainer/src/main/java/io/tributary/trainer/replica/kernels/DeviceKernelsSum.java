package io.tributary.trainer.replica.kernels;

import io.tributary.kernels.DeviceGradientKernels;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The node sum on CUDA memory (the ND4J CUDA backend): {@link DeviceGradientKernels#sum} over the device
 * addresses of the replicas' gradient arrays, from ND4J's public {@code DataBuffer.platformAddress()} (the
 * CUDA allocator's device pointer), so this compiles against nd4j-api alone and the CPU build keeps no
 * CUDA classes. The kernels run on their own stream: ND4J's queued work is committed first, and the
 * target is tagged as newest on the device afterwards so ND4J does not overwrite it from a stale host copy.
 *
 * <p>Written against the ND4J 1.0.0-M2.1 API and compiled in both builds, but never run: no machine this was
 * built on has a GPU that nd4j-cuda-11.6 supports (sm_37..sm_86).
 */
public final class DeviceKernelsSum extends KernelsNodeSum
{
    private final DeviceGradientKernels kernels;
    private long[] addresses = new long[0];

    /** @param kernels owned: closed with this */
    public DeviceKernelsSum(final DeviceGradientKernels kernels)
    {
        this.kernels = kernels;
    }

    @Override
    void sumInto(final INDArray[] gradients, final int count, final INDArray target)
    {
        if (addresses.length < count)
        {
            addresses = new long[count];
        }
        final AffinityManager affinity = Nd4j.getAffinityManager();
        Nd4j.getExecutioner().commit();
        for (int i = 0; i < count; i++)
        {
            affinity.ensureLocation(gradients[i], AffinityManager.Location.DEVICE);
            addresses[i] = deviceAddress(gradients[i]);
        }
        affinity.ensureLocation(target, AffinityManager.Location.DEVICE);
        kernels.sum(addresses, count, deviceAddress(target), Math.toIntExact(target.length()));
        affinity.tagLocation(target, AffinityManager.Location.DEVICE);
    }

    @Override
    public void close()
    {
        kernels.close();
    }

    private static long deviceAddress(final INDArray array)
    {
        if (array.dataType() != DataType.FLOAT)
        {
            throw new IllegalArgumentException("expected a FLOAT array, got " + array.dataType());
        }
        if (!HostArrays.isDenseInOrder(array))
        {
            throw new IllegalArgumentException("expected a contiguous vector or c-order array");
        }
        return array.data().platformAddress() + array.offset() * array.data().getElementSize();
    }
}
