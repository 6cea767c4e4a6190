package io.tributary.trainer.compare;

import io.tributary.trainer.codec.Codecs;
import io.tributary.trainer.config.ConfigException;
import io.tributary.trainer.strategy.StepStrategies;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a strategy name in {@code --strategies} trains with: one or more tokens joined by {@code +}, such as
 * {@code sync}, {@code fp16}, {@code local-sgd+fp16} or {@code sync+overlap}. The tokens are every step strategy
 * ({@link StepStrategies}: a type sets {@code strategy.type}), every codec ({@link Codecs}: it sets
 * {@code strategy.codec}, under sync unless a type is named too) and the modes below, so a strategy or codec that
 * registers there joins the comparison with no change here. A type may carry tuned settings (local SGD's period);
 * a type without any trains with its defaults. Each case first clears the type-specific keys of the user's
 * configuration, so that one strategy's settings cannot refuse another's run.
 */
public final class StrategyRegistry
{
    /** Keys that only some types or modes accept: cleared before a case sets its own. */
    static final List<String> CLEARED = List.of("strategy.warmup_steps", "strategy.period", "strategy.staleness",
        "strategy.average_updater", "strategy.freeze_variance_after", "strategy.overlap", "strategy.backup_nodes",
        "strategy.max_wait_ms", "strategy.backup_probe_every", "cluster.balance", "cluster.balance_every",
        "cluster.balance_threshold");

    private static final Map<String, String> MODES = new LinkedHashMap<>();

    static
    {
        MODES.put("overlap", "strategy.overlap=true");
        MODES.put("measured", "cluster.balance=measured");
        MODES.put("backup", "strategy.backup_nodes=1");
    }

    private StrategyRegistry()
    {
    }

    /** Every token a strategy name may be made of. */
    public static List<String> tokens()
    {
        final List<String> tokens = new ArrayList<>(StepStrategies.names());
        Codecs.names().stream().filter(codec -> !Codecs.NONE.equals(codec)).forEach(tokens::add);
        tokens.addAll(MODES.keySet());
        return tokens;
    }

    /**
     * The {@code --set} overrides of strategy {@code name}.
     *
     * @param stepsPerEpoch the run's steps per epoch: local SGD warms up for one epoch of synchronous steps
     * @throws ConfigException naming --strategies for an unknown token or two types or codecs in one name
     */
    public static List<String> overrides(final String name, final int stepsPerEpoch)
    {
        String type = null;
        String codec = null;
        final List<String> modes = new ArrayList<>();
        for (final String token : name.split("\\+", -1))
        {
            if (StepStrategies.names().contains(token))
            {
                type = single(name, type, token, "type");
            }
            else if (Codecs.names().contains(token) && !Codecs.NONE.equals(token))
            {
                codec = single(name, codec, token, "codec");
            }
            else if (MODES.containsKey(token))
            {
                modes.add(MODES.get(token));
            }
            else
            {
                throw new ConfigException("--strategies " + name, "", "unknown strategy '" + token + "'; known: " +
                    String.join(", ", tokens()) + " (join them with +, as in local-sgd+fp16)");
            }
        }
        final List<String> sets = new ArrayList<>();
        CLEARED.forEach(key -> sets.add(key + "=null"));
        final String chosen = type == null ? "sync" : type;
        sets.add("strategy.type=" + chosen);
        sets.add("strategy.codec=" + (codec == null ? Codecs.NONE : codec));
        sets.addAll(tuned(chosen, stepsPerEpoch));
        sets.addAll(modes);
        return sets;
    }

    private static String single(final String name, final String held, final String token, final String what)
    {
        if (held != null)
        {
            throw new ConfigException("--strategies " + name, "", "names two of a kind (" + what + "s " + held +
                " and " + token + "); a strategy has one " + what);
        }
        return token;
    }

    /**
     * Settings measured to train well here (bench/run strategies): local SGD averages every 8 steps after one
     * epoch of synchronous steps; ssp runs one step stale; async four, with a sync point every 32 steps.
     */
    private static List<String> tuned(final String type, final int stepsPerEpoch)
    {
        return switch (type)
        {
            case "local-sgd" -> List.of("strategy.period=8", "strategy.warmup_steps=" + stepsPerEpoch);
            case "ssp" -> List.of("strategy.staleness=1");
            case "async" -> List.of("strategy.staleness=4", "strategy.period=32");
            default -> List.of();
        };
    }
}
