package io.tributary.trainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tributary compare} through the real entry: two strategies and one that cannot run, on 2 nodes over
 * loopback, write report.md, report.json and PNG plots that decode; bad flags are one line and exit 2.
 */
class CompareCommandTest
{
    private static final String CONFIG = String.join("\n",
        "model:", "  builtin: mlp", "  hidden: [64]",
        "data:", "  type: synthetic", "  size: 512", "  test_size: 64", "  features: 8", "  classes: 3",
        "optimizer:", "  type: sgd", "  lr: 0.1",
        "cluster:", "  devices: 1", "  timeout_s: 20",
        "run:", "  epochs: 1", "  batch_size: 32", "  seed: 3", "");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void twoStrategiesAndAFailingOneMakeAReportWithPlots() throws IOException
    {
        final Path config = Files.writeString(dir.resolve("cmp.yaml"), CONFIG);
        final Path out = dir.resolve("cmp");
        // ssp with measured shares is refused by the configuration: its jobs fail, and the comparison goes on.
        final CliRun run = CliRun.of("compare", config.toString(), "--strategies", "sync,fp16,ssp+measured",
            "--out", out.toString());
        assertEquals(0, run.exitCode(), run.out() + run.err());

        final List<String> progress = run.out().lines().filter(line -> line.matches("\\[\\d/4\\] .*")).toList();
        assertEquals(4, progress.size(), run.out());
        assertTrue(progress.get(0).startsWith("[1/4] sync-1-node (scaling baseline): ") &&
            progress.get(0).endsWith("ETA " + progress.get(0).replaceAll(".*ETA ", "")), progress.get(0));
        assertTrue(progress.get(3).endsWith("done"), progress.get(3));

        final JsonNode report = JSON.readTree(Files.readString(out.resolve("report.json")));
        final JsonNode rows = report.path("rows");
        assertEquals(3, rows.size(), report.toPrettyString());
        for (int i = 0; i < 2; i++)
        {
            assertEquals("ok", rows.path(i).path("status").asText(), rows.path(i).toString());
            assertTrue(rows.path(i).path("samples_per_sec").path("mean").asDouble() > 0);
            assertTrue(rows.path(i).path("scaling_efficiency").asDouble() > 0);
            assertTrue(rows.path(i).path("bytes_per_step").asDouble() > 0);
        }
        assertTrue(rows.path(1).path("bytes_per_step").asDouble() < 0.6 * rows.path(0).path("bytes_per_step").asDouble(),
            "fp16 sends about half of sync's bytes: " + rows);
        assertTrue(rows.path(2).path("status").asText().startsWith("failed (exit 2): "), rows.path(2).toString());
        final double best = Math.max(rows.path(0).path("test_accuracy").path("mean").asDouble(),
            rows.path(1).path("test_accuracy").path("mean").asDouble());
        assertEquals(0.98 * best, report.path("target_accuracy").asDouble(), 1e-12);
        assertEquals(2, report.path("cases").path(0).path("accuracy_curve").size(), "an evaluation every half epoch");

        final String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("| sync | ok | "), md);
        assertTrue(md.contains("| ssp+measured | failed (exit 2): "), md);
        assertTrue(md.contains("no PyTorch DDP row: the DDP row reads Fashion-MNIST IDX files"), md);
        final List<String> plots = new ArrayList<>();
        report.path("plots").forEach(plot -> plots.add(plot.asText()));
        assertEquals(List.of("accuracy_vs_time.png", "samples_per_sec.png", "comm_share.png", "bytes_vs_accuracy.png"),
            plots);
        for (final String plot : plots)
        {
            final BufferedImage image = ImageIO.read(out.resolve(plot).toFile());
            assertNotNull(image, plot + " is not a PNG");
            assertEquals(900, image.getWidth(), plot);
            assertEquals(540, image.getHeight(), plot);
            assertTrue(md.contains("![" + plot + "](" + plot + ")"), md);
        }
        assertFalse(Files.exists(out.resolve("report.json.tmp")));
    }

    @Test
    void adviseMeasuresRanksAndNamesTheFastest() throws IOException
    {
        final Path config = Files.writeString(dir.resolve("cmp.yaml"), CONFIG);
        final CliRun run = CliRun.of("advise", config.toString(), "--strategies", "sync,topk,ssp", "--link", "1gbit");
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("measured: a node's step "), run.out());
        final List<String> rows = run.out().lines().filter(line -> line.matches("\\| [123] \\| .*")).toList();
        assertEquals(3, rows.size(), run.out());
        final List<Double> samplesPerSec = rows.stream()
            .map(row -> Double.parseDouble(row.replaceAll(".*\\| ([0-9,]+) \\|$", "$1").replace(",", ""))).toList();
        assertTrue(samplesPerSec.get(0) >= samplesPerSec.get(1) && samplesPerSec.get(1) >= samplesPerSec.get(2),
            "ranked fastest first: " + rows);
        final String first = rows.get(0).split("\\|")[2].trim();
        assertTrue(run.out().contains("advice: " + first + " (predicted "), run.out());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--link 3parsecs          | --link 3parsecs: expected loopback or a rate such as 100mbit, 1gbit or 10gbit",
        "--strategies nonsense    | --strategies nonsense: unknown strategy 'nonsense'; known: ",
        "--strategies sync+ssp    | --strategies sync+ssp: names two of a kind (types sync and ssp); a strategy has one type",
        "--strategies sync,,fp16  | --strategies sync,,fp16: expected strategy names separated by single commas",
        "--straggler node=9,factor=3 | --straggler node=9,factor=3: expected a node in 0..1 of the 2 nodes",
        "--straggler slow         | --straggler slow: expected node=N,factor=F, such as node=1,factor=3",
        "--loss 80%               | --loss 80%: expected a share of datagrams to drop, 0% to 50%, such as 1%",
        "--repeat 0               | --repeat 0: expected 1..20",
        "--nodes 1                | --nodes 1: expected 2..256 nodes: a comparison of distributed strategies needs at least two" })
    void aBadFlagIsOneLine(final String flag, final String message) throws IOException
    {
        final Path config = Files.writeString(dir.resolve("cmp.yaml"), CONFIG);
        final List<String> args = new ArrayList<>(List.of("compare", config.toString(), "--out",
            dir.resolve("out").toString()));
        args.addAll(List.of(flag.split(" ", 2)));
        CliRun.of(args.toArray(String[]::new)).assertUserError(message, "");
        assertFalse(Files.exists(dir.resolve("out")), "nothing written");
    }
}
