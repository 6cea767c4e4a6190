package io.tributary.trainer.model;

/**
 * Told, on the replica's thread during its backward pass, how far the gradient is final: backprop runs from the
 * last layer to the first, and the flat gradient holds the layers in forward order, so the final part is always
 * a suffix. Used to reduce buckets of the gradient while earlier layers still backprop (overlap).
 */
@FunctionalInterface
public interface BackpropHook
{
    /** Elements {@code [offset, numParams)} of the flat gradient hold their final values for this pass. */
    void finalFrom(long offset);
}
