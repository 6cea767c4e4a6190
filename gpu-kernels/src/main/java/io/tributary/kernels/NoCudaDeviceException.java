package io.tributary.kernels;

/** The CUDA kernels library loaded, but the machine offers no usable CUDA device (or no driver). */
public final class NoCudaDeviceException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    public NoCudaDeviceException(final String message)
    {
        super(message);
    }
}
