package io.tributary.bench.strategies;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Time to an accuracy is the train seconds of the first curve point at or above it, nothing interpolated. */
class StrategiesReportTest
{
    private static JsonNode curve(final String json) throws Exception
    {
        return new ObjectMapper().readTree(json);
    }

    @Test
    void theFirstPointAtOrAboveTheTargetCountsEvenIfALaterOneFallsBack() throws Exception
    {
        final JsonNode curve = curve("[{\"train_seconds\": 9.5, \"accuracy\": 0.84},"
            + "{\"train_seconds\": 18.0, \"accuracy\": 0.85}, {\"train_seconds\": 27.0, \"accuracy\": 0.849},"
            + "{\"train_seconds\": 36.0, \"accuracy\": 0.86}]");
        assertEquals(18.0, StrategiesReport.secondsTo(curve, 0.85));
        assertEquals(36.0, StrategiesReport.secondsTo(curve, 0.855));
    }

    @Test
    void neverReachedIsNaN() throws Exception
    {
        assertTrue(Double.isNaN(StrategiesReport.secondsTo(curve("[{\"train_seconds\": 9.5, \"accuracy\": 0.84}]"),
            0.85)));
        assertTrue(Double.isNaN(StrategiesReport.secondsTo(curve("[]"), 0.85)));
    }
}
