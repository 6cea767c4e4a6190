package io.tributary.trainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.trainer.AccuracyPoint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The accuracy curve as metrics.json and the checkpoint hold it: one object per evaluation with {@code step} (global
 * steps so far), {@code epoch} (a fraction mid-epoch), {@code train_seconds} (training steps only) and
 * {@code accuracy}.
 */
final class AccuracyCurveJson
{
    private AccuracyCurveJson()
    {
    }

    static List<Map<String, Object>> toList(final List<AccuracyPoint> curve)
    {
        final List<Map<String, Object>> list = new ArrayList<>(curve.size());
        for (final AccuracyPoint point : curve)
        {
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("step", point.globalStep());
            entry.put("epoch", point.epoch());
            entry.put("train_seconds", point.trainSeconds());
            entry.put("accuracy", point.accuracy());
            list.add(entry);
        }
        return list;
    }

    /** The curve of a checkpoint; empty when it has none (written before the curve was stored). */
    static List<AccuracyPoint> read(final JsonNode array)
    {
        final List<AccuracyPoint> curve = new ArrayList<>();
        array.forEach(p -> curve.add(new AccuracyPoint(p.path("step").asLong(), p.path("epoch").asDouble(),
            p.path("train_seconds").asDouble(), p.path("accuracy").asDouble())));
        return curve;
    }
}
