package io.tributary.trainer.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * report.md and report.json of a comparison: one row per strategy with its time to the target accuracy, final
 * accuracy, samples/s, bytes per step, communication share and scaling efficiency against one node measured in the
 * same run; with repeats, each as mean ± standard deviation. The target is {@code --target}, or 0.98 of the best
 * final accuracy of any row. report.json also holds every case with its accuracy curve.
 */
public final class CompareReport
{
    /** The default target: this share of the best final accuracy in the run. */
    public static final double TARGET_SHARE = 0.98;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Map<String, Object> setup;
    private final List<String> strategies;
    private final List<CaseOutcome> outcomes;
    private final List<CaseOutcome> baseline;
    private final int nodes;
    private final double target;
    private final String targetRule;
    private final List<StrategyRow> rows = new ArrayList<>();
    private final List<String> notes;

    /**
     * @param setup      what ran: config, link, nodes, epochs, repeats (printed in this order)
     * @param strategies the rows, in order (the DDP row included when it ran)
     * @param target     the target accuracy, or NaN for the default
     * @param notes      lines for the report's end (a skipped row and why)
     */
    public CompareReport(final Map<String, Object> setup, final List<String> strategies,
        final List<CaseOutcome> outcomes, final List<CaseOutcome> baseline, final int nodes, final double target,
        final List<String> notes)
    {
        this.setup = new LinkedHashMap<>(setup);
        this.strategies = List.copyOf(strategies);
        this.outcomes = List.copyOf(outcomes);
        this.baseline = List.copyOf(baseline);
        this.nodes = nodes;
        this.notes = new ArrayList<>(notes);
        final double best = outcomes.stream().filter(CaseOutcome::ok).mapToDouble(CaseOutcome::testAccuracy).max()
            .orElse(Double.NaN);
        this.target = Double.isNaN(target) ? TARGET_SHARE * best : target;
        this.targetRule = Double.isNaN(target) ? String.format(Locale.ROOT, "%.2f of the best final accuracy (%.4f)",
            TARGET_SHARE, best) : "--target";
        final double baselineSps = StrategyRow.Stat.of(baseline.stream().filter(CaseOutcome::ok)
            .map(CaseOutcome::samplesPerSec).toList()).mean();
        for (final String strategy : strategies)
        {
            final List<CaseOutcome> mine = outcomes.stream().filter(o -> o.strategy().equals(strategy)).toList();
            if (!mine.isEmpty())
            {
                rows.add(StrategyRow.of(strategy, mine, this.target, nodes, baselineSps));
            }
        }
    }

    /** A line for the report's end. */
    public void addNote(final String note)
    {
        notes.add(note);
    }

    public List<StrategyRow> rows()
    {
        return List.copyOf(rows);
    }

    public double target()
    {
        return target;
    }

    /** Writes report.json and report.md into {@code dir}, each atomically; {@code plots} are linked from the md. */
    public void write(final Path dir, final List<String> plots) throws IOException
    {
        final Map<String, Object> json = new LinkedHashMap<>(setup);
        json.put("target_accuracy", finite(target));
        json.put("target_rule", targetRule);
        json.put("rows", rows.stream().map(this::rowMap).toList());
        json.put("baseline_1_node", baseline.stream().map(CompareReport::caseMap).toList());
        json.put("cases", outcomes.stream().map(CompareReport::caseMap).toList());
        json.put("plots", plots);
        json.put("notes", notes);
        atomically(dir.resolve("report.json"), JSON.writeValueAsString(json));
        atomically(dir.resolve("report.md"), markdown(plots));
    }

    private String markdown(final List<String> plots)
    {
        final StringBuilder md = new StringBuilder("# tributary compare\n\n");
        setup.forEach((key, value) -> md.append("- ").append(key).append(": ").append(value).append('\n'));
        md.append(String.format(Locale.ROOT, "- target accuracy: %.4f (%s)%n%n", target, targetRule));
        md.append("| strategy | status | time to target (s) | final accuracy | samples/s | KiB/step | comm share | " +
            "scaling efficiency |\n|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (final StrategyRow row : rows)
        {
            md.append("| ").append(row.strategy()).append(" | ").append(row.status().replace("|", "/")).append(" | ")
                .append(time(row)).append(" | ").append(stat(row.testAccuracy(), "%.4f")).append(" | ")
                .append(stat(row.samplesPerSec(), "%,.0f")).append(" | ").append(number(row.bytesPerStep() / 1024,
                "%,.1f")).append(" | ").append(number(100 * row.commShare(), "%.1f%%")).append(" | ")
                .append(number(row.scalingEfficiency(), "%.3f")).append(" |\n");
        }
        md.append('\n').append("Time to target: training seconds (evaluation excluded) to the first evaluation, " +
            "every half epoch, at or above the target. Samples/s: training steps only. KiB/step: sent by node 0 " +
            "per step. Comm share: the inter-node reduce's share of a step (ssp and async reduce in the " +
            "background: their cost shows in samples/s). Scaling efficiency: samples/s over " + nodes +
            " x one node's, measured in this run.");
        if (outcomes.stream().anyMatch(o -> o.repeat() > 1))
        {
            md.append(" Numbers are mean ± standard deviation over the repeats.");
        }
        md.append("\n\n");
        for (final String plot : plots)
        {
            md.append("![").append(plot).append("](").append(plot).append(")\n\n");
        }
        notes.forEach(note -> md.append("- ").append(note).append('\n'));
        return md.toString();
    }

    private String time(final StrategyRow row)
    {
        if (row.reached() == 0)
        {
            return row.okRuns() == 0 ? "-" : "not reached";
        }
        return stat(row.secondsToTarget(), "%.1f") + (row.reached() < row.okRuns() ?
            " (" + row.reached() + " of " + row.okRuns() + " runs)" : "");
    }

    private static String stat(final StrategyRow.Stat stat, final String format)
    {
        if (!Double.isFinite(stat.mean()))
        {
            return "-";
        }
        return String.format(Locale.ROOT, format, stat.mean()) +
            (stat.sd() > 0 ? " ± " + String.format(Locale.ROOT, format, stat.sd()) : "");
    }

    private static String number(final double value, final String format)
    {
        return Double.isFinite(value) ? String.format(Locale.ROOT, format, value) : "-";
    }

    private Map<String, Object> rowMap(final StrategyRow row)
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("strategy", row.strategy());
        map.put("status", row.status());
        map.put("runs", row.runs());
        map.put("ok_runs", row.okRuns());
        map.put("seconds_to_target", statMap(row.secondsToTarget()));
        map.put("runs_reaching_target", row.reached());
        map.put("test_accuracy", statMap(row.testAccuracy()));
        map.put("samples_per_sec", statMap(row.samplesPerSec()));
        map.put("bytes_per_step", finite(row.bytesPerStep()));
        map.put("comm_share", finite(row.commShare()));
        map.put("scaling_efficiency", finite(row.scalingEfficiency()));
        return map;
    }

    private static Map<String, Object> statMap(final StrategyRow.Stat stat)
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("mean", finite(stat.mean()));
        map.put("sd", finite(stat.sd()));
        return map;
    }

    private static Map<String, Object> caseMap(final CaseOutcome o)
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("strategy", o.strategy());
        map.put("repeat", o.repeat());
        map.put("status", o.status());
        map.put("samples_per_sec", finite(o.samplesPerSec()));
        map.put("test_accuracy", finite(o.testAccuracy()));
        map.put("bytes_per_step", finite(o.bytesPerStep()));
        map.put("comm_share", finite(o.commShare()));
        map.put("wall_seconds", finite(o.wallSeconds()));
        map.put("accuracy_curve", o.curve().stream().map(p -> List.of(p.seconds(), p.accuracy())).toList());
        return map;
    }

    private static Double finite(final double value)
    {
        return Double.isFinite(value) ? value : null;
    }

    private static void atomically(final Path file, final String text) throws IOException
    {
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
