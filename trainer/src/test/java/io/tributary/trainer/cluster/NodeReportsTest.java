package io.tributary.trainer.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.trainer.TrainingListener;
import io.tributary.trainer.config.ClusterConfig;
import io.tributary.trainer.config.TrainConfig;
import io.tributary.trainer.metrics.NodeReport;
import io.tributary.trainer.metrics.Timeline;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * After training, every node gets every node's report and timeline over ring 0. MultiNodeExactnessTest's MLP
 * config: 20 steps, timeline_steps 4, global batch 11.
 */
class NodeReportsTest
{
    private static final int STEPS = 20;
    private static final int TIMELINE_STEPS = 4;

    private record Gathered(List<NodeReport> reports, Timeline timeline)
    {
    }

    @Test
    void shardedNodesReportTrafficPhasesAndEveryReplicasEvents() throws Exception
    {
        final List<Gathered> gathered = trainAndGather(2, 2, ClusterConfig.SHARDED);
        // Per step and replica: data, compute, intra, inter, update; plus the copy into replicas 1..R-1.
        assertEvents(gathered, 2, 2, 6 * 2 - 1);
    }

    @Test
    void leaderNodesReportTrafficPhasesAndEvents() throws Exception
    {
        final List<Gathered> gathered = trainAndGather(2, 2, ClusterConfig.LEADER);
        // Per step: data, compute, update per replica; node sum and allreduce on replica 0; the copies.
        assertEvents(gathered, 2, 2, 4 * 2 + 1);
    }

    private static List<Gathered> trainAndGather(final int nodes, final int devices, final String scheme)
        throws Exception
    {
        final TrainConfig config = InProcessJob.config(MultiNodeExactnessTest.MLP + "optimizer:\n  type: sgd\n",
            nodes, devices, scheme);
        final List<Gathered> gathered = InProcessJob.run(config, InProcessJob.data(config), trainer ->
        {
            trainer.train(TrainingListener.NONE);
            return new Gathered(trainer.gatherNodeReports(), trainer.gatherTimeline());
        });
        for (final Gathered g : gathered)
        {
            assertEquals(nodes, g.reports().size());
            for (int node = 0; node < nodes; node++)
            {
                final NodeReport report = g.reports().get(node);
                assertEquals(node, report.rank());
                assertEquals(STEPS, report.steps());
                assertTrue(report.bytesSent() > 0 && report.bytesReceived() > 0, report.toString());
                assertTrue(report.commMs().max() > 0, report.toString());
                assertTrue(report.samplesPerSecond() > 0, report.toString());
                assertEquals(List.of("data", "compute", "intra", "inter", "update"),
                    new ArrayList<>(report.phaseMs().keySet()));
                assertTrue(report.phaseMs().get("compute").max() > 0, report.toString());
                assertEquals(gathered.get(node).reports().get(node), report, "every node gets the same reports");
            }
        }
        return gathered;
    }

    private static void assertEvents(final List<Gathered> gathered, final int nodes, final int devices,
        final int eventsPerStep) throws Exception
    {
        final Timeline timeline = gathered.get(0).timeline();
        assertEquals(nodes * TIMELINE_STEPS * eventsPerStep, timeline.events());
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        timeline.writeJson(out);
        final JsonNode trace = new ObjectMapper().readTree(out.toByteArray());
        int complete = 0;
        final int[] perNode = new int[nodes];
        for (final JsonNode event : trace.get("traceEvents"))
        {
            if ("X".equals(event.get("ph").asText()))
            {
                complete++;
                perNode[event.get("pid").asInt()]++;
                assertTrue(event.get("tid").asInt() < devices, event.toString());
                assertTrue(event.get("args").get("step").asInt() < TIMELINE_STEPS, event.toString());
            }
        }
        assertEquals(nodes * TIMELINE_STEPS * eventsPerStep, complete);
        for (int node = 0; node < nodes; node++)
        {
            assertEquals(TIMELINE_STEPS * eventsPerStep, perNode[node], "events of node " + node);
        }
        for (int node = 1; node < nodes; node++)
        {
            // Only node 0 writes the timeline, so only node 0 decodes the job's: the others keep their own.
            final Timeline own = gathered.get(node).timeline();
            assertEquals(TIMELINE_STEPS * eventsPerStep, own.events(), "node " + node + " gets its own timeline");
        }
    }
}
