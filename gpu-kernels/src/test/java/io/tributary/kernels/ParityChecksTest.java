package io.tributary.kernels;

import java.lang.reflect.InvocationTargetException;
import java.nio.ByteBuffer;
import java.lang.reflect.Proxy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parity checks themselves, run here without a GPU: they pass for two CPUs and catch a one-ulp change. */
class ParityChecksTest
{
    @Test
    void twoReferencesAgree()
    {
        final ParityChecks checks = new ParityChecks(new CpuGradientKernels(), new CpuGradientKernels());
        checks.arithmetic();
        checks.conversions();
        checks.quantisation();
        checks.sparseCodecs();
        checks.subnormals();
        checks.manyInputs();
        checks.edges();
        checks.largeBuckets();
    }

    @Test
    void aDecoderThatFlushesSubnormalsIsCaught()
    {
        final CpuGradientKernels delegate = new CpuGradientKernels();
        final GradientKernels flushing = (GradientKernels)Proxy.newProxyInstance(GradientKernels.class.getClassLoader(),
            new Class<?>[]{GradientKernels.class}, (proxy, method, args) ->
            {
                final Object result;
                try
                {
                    result = method.invoke(delegate, args);
                }
                catch (final InvocationTargetException e)
                {
                    throw e.getCause();
                }
                if (method.getName().equals("topKDecode"))
                {
                    final ByteBuffer out = (ByteBuffer)args[3];
                    for (int b = 0; b < 4 * (int)args[4]; b += 4)
                    {
                        if (Math.abs(out.getFloat(b)) < Float.MIN_NORMAL)
                        {
                            out.putFloat(b, 0.0f);
                        }
                    }
                }
                return result;
            });
        final AssertionError e = assertThrows(AssertionError.class, () -> new ParityChecks(new CpuGradientKernels(), flushing).subnormals());
        assertTrue(e.getMessage().startsWith("topKDecode subnormals into zeros: first difference"), e.getMessage());
    }

    @Test
    void aOneUlpDifferenceIsCaught()
    {
        final CpuGradientKernels delegate = new CpuGradientKernels();
        final GradientKernels skewed = (GradientKernels)Proxy.newProxyInstance(GradientKernels.class.getClassLoader(),
            new Class<?>[]{GradientKernels.class}, (proxy, method, args) ->
            {
                if (method.getName().equals("scale"))
                {
                    args[2] = Math.nextUp((float)args[2]);
                }
                try
                {
                    return method.invoke(delegate, args);
                }
                catch (final InvocationTargetException e)
                {
                    throw e.getCause();
                }
            });
        final AssertionError e = assertThrows(AssertionError.class, () -> new ParityChecks(new CpuGradientKernels(), skewed).arithmetic());
        assertTrue(e.getMessage().startsWith("scale: first difference at byte "), e.getMessage());
    }
}
