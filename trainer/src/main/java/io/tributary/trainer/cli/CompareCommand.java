package io.tributary.trainer.cli;

import io.tributary.trainer.compare.CaseOutcome;
import io.tributary.trainer.compare.CompareCase;
import io.tributary.trainer.compare.ComparePlan;
import io.tributary.trainer.compare.CompareReport;
import io.tributary.trainer.compare.ComparePlots;
import io.tributary.trainer.compare.Comparison;
import io.tributary.trainer.compare.DdpRow;
import io.tributary.trainer.compare.LinkSpec;
import io.tributary.trainer.compare.NamespaceLink;
import io.tributary.trainer.config.ConfigException;
import io.tributary.trainer.config.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tributary compare CONFIG.yaml --strategies sync,fp16,... [--nodes N] [--link 1gbit] ...}: trains the
 * configuration once per strategy (and repeat) as a real multi-node job through the launcher, on an emulated link
 * when one is asked for, plus one-node sync runs for scaling efficiency and, where PyTorch is installed, a DDP row;
 * then writes report.md, report.json and PNG plots into the output directory.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "Train the configuration with several strategies on N nodes over a link, and compare them.",
    footer = { "", "Example: tributary compare configs/compare-fashion.yaml --strategies sync,fp16,topk,local-sgd " +
        "--link 1gbit" })
final class CompareCommand implements Callable<Integer>
{
    @Parameters(index = "0", paramLabel = "CONFIG.yaml", description = "the run configuration")
    private Path configFile;

    @Mixin
    private MatrixOptions matrix = new MatrixOptions();

    @Option(names = "--loss", paramLabel = "P%", description = "drop P% of the datagrams each node receives")
    private String loss;

    @Option(names = "--straggler", paramLabel = "node=N,factor=F",
        description = "slow node N's compute F times (debug.slowdown)")
    private String straggler;

    @Option(names = "--repeat", paramLabel = "R", defaultValue = "1", description = "runs per strategy")
    private int repeat;

    @Option(names = "--target", paramLabel = "ACC",
        description = "target test accuracy (default: 0.98 of the best final accuracy in the comparison)")
    private Double target;

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default: run.out/compare-TIMESTAMP)")
    private Path out;

    @Option(names = "--no-ddp", description = "leave out the PyTorch DDP row")
    private boolean noDdp;

    private final PrintStream stdout;

    CompareCommand(final PrintStream stdout)
    {
        this.stdout = stdout;
    }

    @Override
    public Integer call() throws IOException
    {
        final LinkSpec linkSpec = LinkSpec.parse(matrix.link, loss);
        final int jobNodes = matrix.nodes(configFile);
        final TrainConfig config = matrix.load(configFile, jobNodes);
        final ComparePlan plan = ComparePlan.of(config, matrix.strategyList(), jobNodes, straggler,
            matrix.epochs(config), repeat, target == null ? Double.NaN : target);
        if (linkSpec.emulated() && NamespaceLink.unavailableReason(linkSpec) != null)
        {
            throw new ConfigException("--link " + matrix.link, "", NamespaceLink.unavailableReason(linkSpec));
        }
        final String ddpSkipped = noDdp ? "the PyTorch DDP row was left out (--no-ddp)" :
            DdpRow.unavailableReason(config) == null ? null :
            "no PyTorch DDP row: " + DdpRow.unavailableReason(config);
        final List<CompareCase> cases = plan.cases(ddpSkipped == null);
        final Path dir = RunDirectory.create(config, out != null ? out :
            config.run().out().resolve("compare-" + LocalDateTime.now().format(RunDirectory.STAMP))).path();
        stdout.println("tributary compare: " + plan.strategies().size() + " strategies x " + repeat + " run(s) on " +
            jobNodes + " nodes over " + linkSpec.describe() + ", " + cases.size() + " jobs in all; report in " + dir);
        try (NamespaceLink ns = linkSpec.emulated() ?
            NamespaceLink.open("trib" + ProcessHandle.current().pid() + "-", jobNodes, linkSpec) : null)
        {
            final Thread cleanup = new Thread(() -> { if (ns != null) ns.close(); }, "compare-link-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
            final DdpRow ddp = ddpSkipped == null ? new DdpRow(config, plan.epochs(), plan.evalEverySteps(), ns, dir,
                config.cluster().timeoutSeconds() + 3600L * plan.epochs()) : null;
            final List<CaseOutcome> outcomes = new Comparison(configFile, dir.resolve("cases"), plan.common(matrix.overrides),
                ns, ddp, stdout).run(cases, repeat);
            Runtime.getRuntime().removeShutdownHook(cleanup);
            return report(plan, dir, linkSpec, jobNodes, outcomes, ddpSkipped);
        }
    }

    private int report(final ComparePlan plan, final Path dir, final LinkSpec linkSpec, final int jobNodes,
        final List<CaseOutcome> outcomes, final String ddpSkipped) throws IOException
    {
        final Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("config", configFile.toString());
        setup.put("nodes", jobNodes);
        setup.put("link", linkSpec.describe());
        setup.put("epochs", plan.epochs());
        setup.put("repeats", repeat);
        if (straggler != null)
        {
            setup.put("straggler", straggler);
        }
        final List<String> notes = new ArrayList<>();
        if (ddpSkipped != null)
        {
            notes.add(ddpSkipped);
        }
        final List<CaseOutcome> baseline = outcomes.stream().filter(o -> o.strategy().equals(ComparePlan.BASELINE))
            .toList();
        final List<CaseOutcome> compared = outcomes.stream().filter(o -> !o.strategy().equals(ComparePlan.BASELINE))
            .toList();
        final CompareReport report = new CompareReport(setup, plan.rowNames(ddpSkipped == null), compared, baseline,
            jobNodes, plan.target(), notes);
        List<String> plots = List.of();
        try
        {
            plots = ComparePlots.write(dir, report.rows(), compared, jobNodes + " nodes, " + linkSpec.describe());
        }
        catch (final IOException | RuntimeException | LinkageError ex)
        {
            // AWT without fonts (no fontconfig) cannot draw text: the numbers still stand without the pictures.
            report.addNote("plots not written: " + ex + " (install fontconfig and fonts-dejavu-core)");
        }
        report.write(dir, plots);
        stdout.println("tributary compare: " + dir.resolve("report.md"));
        return compared.stream().anyMatch(CaseOutcome::ok) ? 0 : Main.IO_ERROR;
    }
}
