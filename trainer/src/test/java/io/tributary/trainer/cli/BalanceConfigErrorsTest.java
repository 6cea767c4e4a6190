package io.tributary.trainer.cli;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Shares, balancing, backup nodes and fault injection that do not fit the run (2 devices, strategy sync unless set): one stderr
 * line naming the key, exit 2. Keys are separated by ';', lines of a section by ','.
 */
class BalanceConfigErrorsTest
{
    /** A comma outside [..] and {..}. */
    private static final String INSIDE_NO_BRACKETS = ",(?![^\\[{]*[\\]}])";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "shares: [1]                                | cluster.shares: expected one share per device, node by node: 2 numbers (1 node(s) x 2 device(s)), got 1",
        "shares: [1, 0]                             | cluster.shares[1]: expected a number > 0, got 0",
        "shares: 3                                  | cluster.shares: expected a list of numbers such as [3, 1], got 3",
        "balance: even                              | cluster.balance: expected one of equal, measured, got 'even'",
        "balance_every: 5                           | cluster.balance_every: applies to cluster.balance: measured only; this run has balance equal",
        "balance: measured, balance_threshold: 1    | cluster.balance_threshold: expected a number >= 0 and <= 0.9, got 1",
        "balance: measured; strategy: type: ssp     | cluster.balance: measured shares need strategy.type sync, whose nodes step in lockstep; this run has ssp (set cluster.shares for fixed shares)",
        "; debug: slowdown: {factor: 3}             | debug.slowdown: is fault injection for tests and benchmarks; set debug.enabled: true to allow it",
        "; debug: enabled: true, slowdown: {device: 2} | debug.slowdown.device: expected an integer in [0, 1], got 2",
        "; debug: enabled: true, slowdown: {node: 1}   | debug.slowdown.node: expected an integer in [0, 0], got 1",
        "; debug: enabled: true, slowdown: {factor: 0.5} | debug.slowdown.factor: expected a number >= 1 and <= 1000, got 0.5",
        "; strategy: type: ssp, backup_nodes: 1        | strategy.backup_nodes: only with strategy.type sync, got type ssp",
        "; strategy: backup_nodes: 1                   | strategy.backup_nodes: expected fewer than cluster.nodes (1): a step needs one node's contribution, got 1",
        "; strategy: backup_probe_every: 5             | strategy.backup_probe_every: applies with strategy.backup_nodes or strategy.max_wait_ms only",
        "; strategy: max_wait_ms: 5, overlap: true     | strategy.overlap: expected false with backup nodes or max_wait_ms: a dropped node joins the reduction before backprop, which overlap reduces during",
        "; strategy: max_wait_ms: -1                   | strategy.max_wait_ms: expected a number >= 0 and <= 3600000, got -1" })
    void aWrongBalanceOrSlowdownIsOneLine(final String keys, final String message) throws IOException
    {
        final String[] sections = keys.split(";");
        final StringBuilder cluster = new StringBuilder("cluster:\n  devices: 2\n");
        for (final String line : sections[0].split(INSIDE_NO_BRACKETS))
        {
            if (!line.isBlank())
            {
                cluster.append("  ").append(line.trim()).append('\n');
            }
        }
        final StringBuilder yaml = new StringBuilder(CliRun.SMALL_CONFIG.replace("cluster:\n  devices: 2\n", cluster));
        for (int i = 1; i < sections.length; i++)
        {
            final String section = sections[i].trim();
            final int colon = section.indexOf(':');
            yaml.append(section, 0, colon + 1).append('\n');
            for (final String line : section.substring(colon + 1).split(INSIDE_NO_BRACKETS))
            {
                yaml.append("  ").append(line.trim()).append('\n');
            }
        }
        final Path file = Files.writeString(dir.resolve("balance.yaml"), yaml.toString());
        CliRun.train(file, dir.resolve("out")).assertUserError(file + ": " + message, "");
    }
}
