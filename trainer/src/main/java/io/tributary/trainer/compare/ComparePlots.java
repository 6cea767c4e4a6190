package io.tributary.trainer.compare;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The comparison's PNG plots, drawn by XChart: test accuracy against training seconds (one curve per strategy, its
 * first run that trained to the end), samples/s and the communication share per strategy (bars), and bytes on the
 * wire per step against the final accuracy (one point per strategy; a log scale where they span a decade).
 */
public final class ComparePlots
{
    public static final String ACCURACY = "accuracy_vs_time.png";
    public static final String THROUGHPUT = "samples_per_sec.png";
    public static final String COMM_SHARE = "comm_share.png";
    public static final String BYTES = "bytes_vs_accuracy.png";

    private static final int WIDTH = 900;
    private static final int HEIGHT = 540;

    private ComparePlots()
    {
    }

    /** Writes the plots into {@code dir}; returns their file names. */
    public static List<String> write(final Path dir, final List<StrategyRow> rows, final List<CaseOutcome> outcomes,
        final String title) throws IOException
    {
        final List<String> written = new ArrayList<>();
        save(accuracy(rows, outcomes, title), dir, ACCURACY, written);
        final List<StrategyRow> ok = rows.stream().filter(r -> r.okRuns() > 0).toList();
        if (!ok.isEmpty())
        {
            save(bars("Samples/s, " + title, "samples/s", ok, false), dir, THROUGHPUT, written);
            final List<StrategyRow> measured = ok.stream().filter(r -> Double.isFinite(r.commShare())).toList();
            if (!measured.isEmpty())
            {
                save(bars("Communication share of a step, " + title, "% of the step", measured, true), dir,
                    COMM_SHARE, written);
            }
        }
        final List<StrategyRow> sent = ok.stream().filter(r -> r.bytesPerStep() > 0).toList();
        if (!sent.isEmpty())
        {
            save(bytes(sent, title), dir, BYTES, written);
        }
        return written;
    }

    private static XYChart accuracy(final List<StrategyRow> rows, final List<CaseOutcome> outcomes, final String title)
    {
        final XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
            .title("Test accuracy against training time, " + title).xAxisTitle("training seconds")
            .yAxisTitle("test accuracy").build();
        for (final StrategyRow row : rows)
        {
            outcomes.stream().filter(o -> o.ok() && o.strategy().equals(row.strategy()) && !o.curve().isEmpty())
                .findFirst().ifPresent(o ->
                {
                    final double[] x = o.curve().stream().mapToDouble(CaseOutcome.CurvePoint::seconds).toArray();
                    final double[] y = o.curve().stream().mapToDouble(CaseOutcome.CurvePoint::accuracy).toArray();
                    chart.addSeries(row.strategy(), x, y);
                });
        }
        if (chart.getSeriesMap().isEmpty())
        {
            chart.addSeries("no strategy trained to the end", new double[]{ 0 }, new double[]{ 0 });
        }
        return chart;
    }

    private static CategoryChart bars(final String title, final String axis, final List<StrategyRow> rows,
        final boolean share)
    {
        final CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
            .xAxisTitle("strategy").yAxisTitle(axis).build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(30);
        final List<String> names = rows.stream().map(StrategyRow::strategy).toList();
        final List<Double> values = rows.stream()
            .map(r -> share ? 100 * r.commShare() : r.samplesPerSec().mean()).toList();
        chart.addSeries(axis, names, values);
        return chart;
    }

    private static XYChart bytes(final List<StrategyRow> rows, final String title)
    {
        // A log axis where the bytes span more than a decade (top-k beside sync); within one it would show no ticks.
        final double most = rows.stream().mapToDouble(StrategyRow::bytesPerStep).max().orElse(1);
        final double least = rows.stream().mapToDouble(StrategyRow::bytesPerStep).min().orElse(1);
        final boolean log = most > 10 * least;
        final XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
            .title("Bytes on the wire per step against final accuracy, " + title)
            .xAxisTitle("KiB sent per step by node 0" + (log ? " (log)" : "")).yAxisTitle("final test accuracy")
            .build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setXAxisLogarithmic(log);
        if (!log)
        {
            chart.getStyler().setXAxisMin(0.0);
        }
        chart.getStyler().setMarkerSize(12);
        for (final StrategyRow row : rows)
        {
            chart.addSeries(row.strategy(), new double[]{ row.bytesPerStep() / 1024 },
                new double[]{ row.testAccuracy().mean() }).setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    private static void save(final Chart<?, ?> chart, final Path dir, final String name, final List<String> written)
        throws IOException
    {
        BitmapEncoder.saveBitmap(chart, dir.resolve(name).toString(), BitmapEncoder.BitmapFormat.PNG);
        written.add(name);
    }
}
