package io.tributary.trainer.compare;

import io.tributary.trainer.config.ConfigException;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.data.DataSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The jobs of a comparison, from the checked flags: per repeat, first the one-node sync baseline (scaling
 * efficiency's denominator), then every strategy on N nodes, then the DDP row. Every job trains {@code epochs}
 * epochs and evaluates every half epoch; the straggler, if any, slows the N-node Tributary jobs.
 */
public final class ComparePlan
{
    /** The baseline rows' strategy name. */
    public static final String BASELINE = "sync-1-node";
    static final int MAX_REPEATS = 20;
    private static final Pattern STRAGGLER = Pattern.compile("node=(\\d{1,3}),factor=(\\d+(?:\\.\\d+)?)");

    private final List<String> strategies;
    private final Map<String, List<String>> sets;
    private final int nodes;
    private final List<String> stragglerSets;
    private final int epochs;
    private final int repeats;
    private final int evalEverySteps;
    private final int stepsPerEpoch;
    private final double target;

    private ComparePlan(final List<String> strategies, final Map<String, List<String>> sets, final int nodes,
        final List<String> stragglerSets, final int epochs, final int repeats, final int stepsPerEpoch,
        final double target)
    {
        this.strategies = strategies;
        this.sets = sets;
        this.nodes = nodes;
        this.stragglerSets = stragglerSets;
        this.epochs = epochs;
        this.repeats = repeats;
        this.stepsPerEpoch = stepsPerEpoch;
        this.evalEverySteps = Math.max(1, stepsPerEpoch / 2);
        this.target = target;
    }

    /**
     * Checks the flags against {@code config} (loaded with cluster.nodes = {@code nodes}) and reads the training set
     * once for its size.
     *
     * @param target NaN for the default
     * @throws ConfigException naming the flag: unknown or repeated strategies, a straggler outside the nodes, a
     *                         count or target out of range
     */
    public static ComparePlan of(final TrainConfig config, final List<String> strategies, final int nodes,
        final String straggler, final int epochs, final int repeats, final double target)
    {
        if (nodes < 2 || nodes > 256)
        {
            throw new ConfigException("--nodes " + nodes, "", "expected 2..256 nodes: a comparison of distributed " +
                "strategies needs at least two");
        }
        if (epochs < 1)
        {
            throw new ConfigException("--epochs " + epochs, "", "expected at least 1");
        }
        if (repeats < 1 || repeats > MAX_REPEATS)
        {
            throw new ConfigException("--repeat " + repeats, "", "expected 1.." + MAX_REPEATS);
        }
        if (!Double.isNaN(target) && !(target > 0 && target <= 1))
        {
            throw new ConfigException("--target " + target, "", "expected a test accuracy in (0, 1]");
        }
        final int examples = DataSource.of(config.data()).load().train().size();
        final int stepsPerEpoch = (examples + config.run().batchSize() - 1) / config.run().batchSize();
        final Map<String, List<String>> sets = new LinkedHashMap<>();
        for (final String name : strategies)
        {
            final String strategy = name.trim();
            if (strategy.isEmpty() || sets.containsKey(strategy))
            {
                throw new ConfigException("--strategies " + String.join(",", strategies), "", strategy.isEmpty() ?
                    "expected strategy names separated by single commas" : "names " + strategy + " twice");
            }
            sets.put(strategy, StrategyRegistry.overrides(strategy, stepsPerEpoch));
        }
        final List<String> compared = List.copyOf(sets.keySet());
        sets.put(BASELINE, StrategyRegistry.overrides("sync", stepsPerEpoch));
        return new ComparePlan(compared, sets, nodes,
            stragglerSets(straggler, nodes), epochs, repeats, stepsPerEpoch, target);
    }

    private static List<String> stragglerSets(final String straggler, final int nodes)
    {
        if (straggler == null)
        {
            return List.of();
        }
        final Matcher m = STRAGGLER.matcher(straggler);
        if (!m.matches())
        {
            throw new ConfigException("--straggler " + straggler, "", "expected node=N,factor=F, such as " +
                "node=1,factor=3");
        }
        final int node = Integer.parseInt(m.group(1));
        final double factor = Double.parseDouble(m.group(2));
        if (node >= nodes)
        {
            throw new ConfigException("--straggler " + straggler, "", "expected a node in 0.." + (nodes - 1) +
                " of the " + nodes + " nodes");
        }
        if (factor < 1 || factor > 1000)
        {
            throw new ConfigException("--straggler " + straggler, "", "expected a factor from 1 to 1000");
        }
        return List.of("debug.enabled=true", "debug.slowdown={node: " + node + ", device: 0, factor: " + factor + "}");
    }

    /** The overrides every Tributary job gets: the user's, then the epochs and an evaluation every half epoch. */
    public List<String> common(final List<String> userOverrides)
    {
        final List<String> common = new ArrayList<>(userOverrides);
        common.addAll(List.of("run.epochs=" + epochs, "run.eval_every_steps=" + evalEverySteps,
            "run.eval_each_epoch=true"));
        return common;
    }

    /** The jobs in the order they run. */
    public List<CompareCase> cases(final boolean withDdp)
    {
        final List<CompareCase> cases = new ArrayList<>();
        for (int r = 1; r <= repeats; r++)
        {
            cases.add(new CompareCase(BASELINE, r, 1, sets.get(BASELINE), true));
            for (final String strategy : strategies)
            {
                final List<String> caseSets = new ArrayList<>(sets.get(strategy));
                caseSets.addAll(stragglerSets);
                cases.add(new CompareCase(strategy, r, nodes, caseSets, false));
            }
            if (withDdp)
            {
                cases.add(new CompareCase(CompareCase.DDP, r, nodes, List.of(), false));
            }
        }
        return cases;
    }

    /** The report's rows: the strategies, then the DDP row when it runs. */
    public List<String> rowNames(final boolean withDdp)
    {
        final List<String> names = new ArrayList<>(strategies);
        if (withDdp)
        {
            names.add(CompareCase.DDP);
        }
        return names;
    }

    public List<String> strategies()
    {
        return strategies;
    }

    public int epochs()
    {
        return epochs;
    }

    public int stepsPerEpoch()
    {
        return stepsPerEpoch;
    }

    public int evalEverySteps()
    {
        return evalEverySteps;
    }

    public double target()
    {
        return target;
    }
}
