package io.tributary.bench.torchanchor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.bench.BenchTable;
import io.tributary.bench.RunMetrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The torch-anchor table from one invocation's run directory: Tributary 1 x 1 and 1 x 2 (their metrics.json),
 * PyTorch 1 process and DDP 2 processes (fashion_mlp.py's JSON), each with samples/s, test accuracy, peak RSS
 * (MiB, from /usr/bin/time), and samples/s over PyTorch 1 thread's and over Tributary 1 device's.
 *
 * <p>Usage: TorchAnchorReport RUNS_DIR
 */
public final class TorchAnchorReport
{
    private TorchAnchorReport()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        if (args.length != 1)
        {
            System.err.println("usage: TorchAnchorReport RUNS_DIR");
            System.exit(2);
        }
        final Path runs = Path.of(args[0]);
        final ObjectMapper json = new ObjectMapper();
        final JsonNode torch1 = json.readTree(runs.resolve("torch-1.json").toFile());
        final JsonNode torch2 = json.readTree(runs.resolve("torch-2.json").toFile());
        final RunMetrics tributary1 = RunMetrics.read(runs.resolve("tributary-1x1"));
        final RunMetrics tributary2 = RunMetrics.read(runs.resolve("tributary-1x2"));
        final double torchRate = torch1.path("samples_per_sec").asDouble();
        final double tributaryRate = tributary1.samplesPerSec();
        final String load = Files.readString(runs.resolve("load1m")).trim();
        final BenchTable table = new BenchTable("torch-anchor");
        add(table, "tributary 1x1", tributaryRate, tributary1.testAccuracy(), rss(runs, "tributary-1x1"), torchRate,
            tributaryRate, load);
        add(table, "tributary 1x2", tributary2.samplesPerSec(), tributary2.testAccuracy(), rss(runs, "tributary-1x2"),
            torchRate, tributaryRate, load);
        add(table, "pytorch 1 thread", torchRate, torch1.path("test_accuracy").asDouble(), rss(runs, "torch-1"),
            torchRate, tributaryRate, load);
        add(table, "pytorch ddp 2 (gloo)", torch2.path("samples_per_sec").asDouble(),
            torch2.path("test_accuracy").asDouble(), rss(runs, "torch-2"), torchRate, tributaryRate, load);
        System.out.println("torch " + torch1.path("torch").asText() + ", " + torch1.path("blas").asText());
        table.finish();
    }

    private static void add(final BenchTable table, final String name, final double samplesPerSec,
        final double accuracy, final double rssMiB, final double torchRate, final double tributaryRate,
        final String load)
    {
        final Map<String, Object> row = table.row();
        row.put("case", name);
        row.put("samples_per_sec", RunMetrics.round(samplesPerSec, 1));
        row.put("test_accuracy", RunMetrics.round(accuracy, 4));
        row.put("peak_rss_mib", RunMetrics.round(rssMiB, 0));
        row.put("vs_pytorch_1_thread", RunMetrics.round(samplesPerSec / torchRate, 3));
        row.put("vs_tributary_1x1", RunMetrics.round(samplesPerSec / tributaryRate, 3));
        row.put("load_1m", load);
    }

    /** The peak RSS in MiB /usr/bin/time wrote for a case (KiB), NaN when absent. */
    static double rss(final Path runs, final String name) throws IOException
    {
        final Path file = runs.resolve(name + ".rss");
        if (!Files.isRegularFile(file))
        {
            return Double.NaN;
        }
        final String[] lines = Files.readString(file).trim().split("\n");
        return Long.parseLong(lines[lines.length - 1].trim()) / 1024.0;
    }
}
