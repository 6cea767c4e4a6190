package io.tributary.trainer.compare;

import io.tributary.trainer.cli.Main;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the cases of a comparison one after another, each a real job through {@code tributary launch} (on the
 * emulated link's namespaces when there is one), and reads what each measured. A case that fails or diverges
 * becomes an outcome that says so; the comparison goes on. Prints one line per case with an ETA for the rest.
 */
public final class Comparison
{
    private final Path config;
    private final Path casesDir;
    private final List<String> common;
    private final NamespaceLink link;
    private final DdpRow ddp;
    private final PrintStream progress;

    /**
     * @param common overrides every case gets after the user's (epochs, evaluation every half epoch)
     * @param link   the emulated link's namespaces; null on loopback
     * @param ddp    runs the PyTorch DDP cases; null when there are none
     */
    public Comparison(final Path config, final Path casesDir, final List<String> common, final NamespaceLink link,
        final DdpRow ddp, final PrintStream progress)
    {
        this.config = config;
        this.casesDir = casesDir;
        this.common = List.copyOf(common);
        this.link = link;
        this.ddp = ddp;
        this.progress = progress;
    }

    /** Runs {@code cases} in order; {@code repeats} only labels the progress lines. */
    public List<CaseOutcome> run(final List<CompareCase> cases, final int repeats) throws IOException
    {
        Files.createDirectories(casesDir);
        final List<CaseOutcome> outcomes = new ArrayList<>();
        final long startNs = System.nanoTime();
        for (int i = 0; i < cases.size(); i++)
        {
            final CompareCase c = cases.get(i);
            final long caseStartNs = System.nanoTime();
            final CaseOutcome outcome = CompareCase.DDP.equals(c.strategy()) ? ddp.run(c, casesDir.resolve(c.directory())) :
                runJob(c);
            outcomes.add(outcome);
            final double caseSeconds = (System.nanoTime() - caseStartNs) / 1e9;
            final double perCase = (System.nanoTime() - startNs) / 1e9 / (i + 1);
            final int left = cases.size() - i - 1;
            progress.println(String.format(Locale.ROOT, "[%d/%d] %s: %s, %.0f s; %s", i + 1, cases.size(),
                c.describe(repeats), summary(outcome), caseSeconds,
                left == 0 ? "done" : "ETA " + duration(perCase * left)));
        }
        return outcomes;
    }

    private CaseOutcome runJob(final CompareCase c) throws IOException
    {
        final Path dir = casesDir.resolve(c.directory());
        final List<String> args = new ArrayList<>(List.of("launch", "--nodes", Integer.toString(c.nodes()),
            config.toString(), "--out", dir.toString(), "--progress-seconds", "3600"));
        for (final String set : concat(common, c.sets()))
        {
            args.add("--set");
            args.add(set);
        }
        if (link != null && c.nodes() > 1)
        {
            args.add("--netns=" + String.join(",", link.namespaces().subList(0, c.nodes())));
            args.add("--netns-addresses=" + String.join(",", link.addresses().subList(0, c.nodes())));
        }
        Files.createDirectories(dir);
        final Path log = dir.resolve("launch.log");
        final long startNs = System.nanoTime();
        final int code;
        try (OutputStream file = Files.newOutputStream(log);
            PrintStream out = new PrintStream(file, true, StandardCharsets.UTF_8))
        {
            out.println("tributary " + String.join(" ", args));
            code = Main.run(args.toArray(String[]::new), out, out);
        }
        final double seconds = (System.nanoTime() - startNs) / 1e9;
        if (code != 0)
        {
            final String what = code == Main.DIVERGED ? "diverged" : "failed";
            return CaseOutcome.failed(c.strategy(), c.repeat(), what + " (exit " + code + "): " + firstError(log) +
                " (" + log + ")", seconds);
        }
        try
        {
            return CaseOutcome.read(c.strategy(), c.repeat(), dir, seconds);
        }
        catch (final IOException | RuntimeException ex)
        {
            return CaseOutcome.failed(c.strategy(), c.repeat(), "failed: no readable metrics.json in " + dir, seconds);
        }
    }

    private static List<String> concat(final List<String> a, final List<String> b)
    {
        final List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * Why the job failed: the first error a node printed (the cause; the others follow from it), else the last line
     * of the log that names an error, else its last line.
     */
    static String firstError(final Path log) throws IOException
    {
        final List<String> lines = Files.readAllLines(log);
        for (final String line : lines)
        {
            if (line.matches("\\[node \\d+\\] tributary: .*"))
            {
                return line.strip();
            }
        }
        for (int i = lines.size() - 1; i >= 0; i--)
        {
            if (lines.get(i).contains("tributary: ") || lines.get(i).contains("tributary launch: node"))
            {
                return lines.get(i).strip();
            }
        }
        return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1).strip();
    }

    private static String summary(final CaseOutcome outcome)
    {
        return outcome.ok() ? String.format(Locale.ROOT, "%,.0f samples/s, test accuracy %.4f",
            outcome.samplesPerSec(), outcome.testAccuracy()) : outcome.status();
    }

    static String duration(final double seconds)
    {
        final long s = Math.round(seconds);
        return s >= 60 ? s / 60 + " min " + s % 60 + " s" : s + " s";
    }
}
