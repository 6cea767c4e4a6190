package io.tributary.trainer.replica.kernels;

import io.tributary.kernels.CpuGradientKernels;
import io.tributary.kernels.CudaDeviceKernels;
import io.tributary.trainer.config.ClusterConfig;
import io.tributary.trainer.replica.sync.NodeGradientSum;

/** The node sum for a cluster's backend: host kernels on cpu, device kernels on the first GPU under cuda. */
public final class NodeGradientSums
{
    private NodeGradientSums()
    {
    }

    public static NodeGradientSum forCluster(final ClusterConfig cluster)
    {
        if ("cuda".equals(cluster.backend()))
        {
            // Replicas on other GPUs are read through unified addressing: this needs peer access between the GPUs.
            return new DeviceKernelsSum(CudaDeviceKernels.open(cluster.gpus().isEmpty() ? 0 : cluster.gpus().get(0)));
        }
        return new HostKernelsSum(new CpuGradientKernels());
    }
}
