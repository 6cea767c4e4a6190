package io.tributary.trainer.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How replicas agree. Only {@code sync} (exact synchronous data parallelism) and the {@code none} codec exist
 * in this version; later strategies (local-sgd, ssp) and codecs add their own keys here and a value to the
 * choice lists, so configurations that name them stay valid.
 */
public record StrategyConfig(String type, String codec, int checkEvery)
{
    static StrategyConfig read(final ConfigReader r)
    {
        r.allow("type", "codec", "check_every");
        return new StrategyConfig(
            r.choice("type", "sync", "sync"),
            r.choice("codec", "none", "none"),
            r.integer("check_every", 100, 1, Integer.MAX_VALUE));
    }

    Map<String, Object> toMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("type", type);
        map.put("codec", codec);
        map.put("check_every", checkEvery);
        return map;
    }
}
