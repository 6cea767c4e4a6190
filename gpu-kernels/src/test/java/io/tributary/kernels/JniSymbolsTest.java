package io.tributary.kernels;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every native method of CudaNative has its JNI function in the built library. JNI resolves them at the
 * first call, which needs a GPU, so a missing one would otherwise surface only on a GPU machine. (Parameter
 * types are checked at build time: build.sh compiles the bridge against the javac -h header.)
 */
class JniSymbolsTest
{
    @Test
    void everyNativeMethodIsExported() throws IOException, InterruptedException
    {
        if (!Files.isRegularFile(CudaSupport.BUILT_LIBRARY))
        {
            CudaSupport.skip("no " + CudaSupport.BUILT_LIBRARY + " (run gpu-kernels/src/main/cuda/build.sh gpu-kernels/target/native)");
        }
        final Process nm;
        try
        {
            nm = new ProcessBuilder("nm", "-D", "--defined-only", CudaSupport.BUILT_LIBRARY.toString()).redirectErrorStream(true).start();
        }
        catch (final IOException e)
        {
            CudaSupport.skip("nm (binutils) is not installed");
            return;
        }
        final String output = new String(nm.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        nm.waitFor(30, TimeUnit.SECONDS);
        final String prefix = "Java_io_tributary_kernels_CudaNative_";
        final Set<String> exported = Arrays.stream(output.split("\n"))
            .map(line -> line.substring(line.lastIndexOf(' ') + 1).trim())
            .filter(symbol -> symbol.startsWith(prefix))
            .map(symbol -> symbol.substring(prefix.length()))
            .collect(Collectors.toCollection(TreeSet::new));
        final Set<String> declared = Arrays.stream(CudaNative.class.getDeclaredMethods())
            .filter(m -> Modifier.isNative(m.getModifiers()))
            .map(Method::getName)
            .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(declared, exported);
    }
}
