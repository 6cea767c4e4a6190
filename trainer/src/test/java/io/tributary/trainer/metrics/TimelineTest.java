package io.tributary.trainer.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimelineTest
{
    private static final long MS = 1_000_000L;

    @Test
    void recordsTheFirstStepsAsChromeTraceCompleteEvents() throws Exception
    {
        final Timeline timeline = new Timeline(3, 2, 2);
        final long t0 = System.nanoTime();
        timeline.record(0, 0, Phase.DATA, t0, t0 + 2 * MS);
        timeline.record(0, 1, Phase.COMPUTE, t0 + 2 * MS, t0 + 7 * MS);
        timeline.recordCopy(1, 1, t0 + 9 * MS, t0 + 10 * MS);
        timeline.record(2, 0, Phase.UPDATE, t0, t0 + MS); // past the recorded steps: ignored
        assertEquals(3, timeline.events());

        final JsonNode trace = parse(timeline);
        assertEquals("ms", trace.get("displayTimeUnit").asText());
        final List<JsonNode> events = completeEvents(trace);
        assertEquals(3, events.size());
        assertEquals("data", events.get(0).get("name").asText());
        assertEquals(3, events.get(0).get("pid").asInt());
        assertEquals(0, events.get(0).get("tid").asInt());
        assertEquals(2000, events.get(0).get("dur").asLong());
        assertEquals("compute", events.get(1).get("name").asText());
        assertEquals(1, events.get(1).get("tid").asInt());
        assertEquals(5000, events.get(1).get("dur").asLong());
        assertEquals(2000, events.get(1).get("ts").asLong() - events.get(0).get("ts").asLong(), 1);
        assertEquals("intra-copy", events.get(2).get("name").asText());
        assertEquals(1, events.get(2).get("args").get("step").asInt());
        final long wallMicros = System.currentTimeMillis() * 1000;
        assertTrue(Math.abs(events.get(0).get("ts").asLong() - wallMicros) < 60_000_000L,
            "timestamps are wall-clock microseconds: " + events.get(0).get("ts") + " vs " + wallMicros);
    }

    @Test
    void encodedEventsOfSeveralNodesDecodeIntoOneTimeline() throws Exception
    {
        final long t0 = System.nanoTime();
        final Timeline node0 = new Timeline(0, 1, 1);
        node0.record(0, 0, Phase.INTER, t0, t0 + 3 * MS);
        final Timeline node1 = new Timeline(1, 1, 1);
        node1.record(0, 0, Phase.INTER, t0, t0 + 4 * MS);
        node1.record(0, 0, Phase.INTRA, t0, t0 + MS);
        final ByteBuffer all = ByteBuffer.allocateDirect(3 * Timeline.ENCODED_INTS * Integer.BYTES)
            .order(ByteOrder.nativeOrder());
        final int first = node0.encodeTo(all);
        final int second = node1.encodeTo(all.slice(first * Timeline.ENCODED_INTS * Integer.BYTES,
            2 * Timeline.ENCODED_INTS * Integer.BYTES).order(ByteOrder.nativeOrder()));
        assertEquals(1, first);
        assertEquals(2, second);

        final List<JsonNode> events = completeEvents(parse(Timeline.decode(all, 3)));
        assertEquals(3, events.size());
        assertEquals(List.of(0, 1, 1), List.of(events.get(0).get("pid").asInt(), events.get(1).get("pid").asInt(),
            events.get(2).get("pid").asInt()));
        assertEquals("inter", events.get(0).get("name").asText());
        assertEquals(3000, events.get(0).get("dur").asLong());
        assertEquals("intra", events.get(1).get("name").asText());
        assertEquals(4000, events.get(2).get("dur").asLong());
    }

    static JsonNode parse(final Timeline timeline) throws Exception
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        timeline.writeJson(out);
        return new ObjectMapper().readTree(out.toByteArray());
    }

    static List<JsonNode> completeEvents(final JsonNode trace)
    {
        final List<JsonNode> events = new ArrayList<>();
        for (final JsonNode event : trace.get("traceEvents"))
        {
            if ("X".equals(event.get("ph").asText()))
            {
                events.add(event);
            }
        }
        return events;
    }
}
