package io.tributary.bench.allreduce;

import io.tributary.bench.BenchTable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the RESULT lines of one allreduce run (Tributary, OpenMPI, PyTorch gloo, memcpy) into the table and
 * bench/out/allreduce.json. Bandwidths follow nccl-tests: algbw = size / time, busbw = algbw * 2(n-1)/n,
 * in GB/s (1e9 bytes). Ratios compare peers measured in the same run.
 */
public final class AllReduceReport
{
    private static final String[] PEERS = { "tributary-udp", "tributary-ipc", "mpi-tcp", "mpi-vader", "gloo" };

    private AllReduceReport()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length != 1 || !Files.isReadable(Path.of(args[0])))
        {
            System.err.println("usage: AllReduceReport RAW_FILE (a readable file of RESULT lines; got " +
                String.join(" ", args) + ")");
            System.exit(2);
        }
        // np -> size -> label -> seconds per op
        final Map<Integer, Map<Long, Map<String, Double>>> results = new TreeMap<>();
        final Map<Long, Double> memcpy = new TreeMap<>();
        for (final String line : Files.readAllLines(Path.of(args[0])))
        {
            final String[] f = line.trim().split("\\s+");
            if (f.length != 5 || !f[0].equals("RESULT"))
            {
                continue;
            }
            final int np = Integer.parseInt(f[2]);
            final long bytes = Long.parseLong(f[3]);
            final double seconds = Double.parseDouble(f[4]);
            if (f[1].equals("memcpy"))
            {
                memcpy.put(bytes, seconds);
            }
            else
            {
                results.computeIfAbsent(np, k -> new TreeMap<>())
                    .computeIfAbsent(bytes, k -> new TreeMap<>())
                    .put(f[1], seconds);
            }
        }

        final BenchTable table = new BenchTable("allreduce");
        results.forEach((np, bySize) -> bySize.forEach((bytes, bySeconds) ->
        {
            final Map<String, Object> row = table.row();
            row.put("np", np);
            row.put("size", size(bytes));
            final Map<String, Double> busbw = new TreeMap<>();
            for (final String peer : PEERS)
            {
                final Double seconds = bySeconds.get(peer);
                final Double bw = seconds == null ? null : bytes / seconds / 1e9 * 2.0 * (np - 1) / np;
                busbw.put(peer, bw);
                if (peer.equals("tributary-udp"))
                {
                    row.put("udp_algbw", seconds == null ? null : bytes / seconds / 1e9);
                }
                row.put(peer.replace("tributary-", "").replace('-', '_') + "_busbw", bw);
            }
            final Double copy = memcpy.get(bytes);
            row.put("memcpy_GBps", copy == null ? null : bytes / copy / 1e9);
            row.put("udp/mpi_tcp", ratio(busbw.get("tributary-udp"), busbw.get("mpi-tcp")));
            row.put("ipc/mpi_vader", ratio(busbw.get("tributary-ipc"), busbw.get("mpi-vader")));
            row.put("udp/gloo", ratio(busbw.get("tributary-udp"), busbw.get("gloo")));
            row.put("ipc/gloo", ratio(busbw.get("tributary-ipc"), busbw.get("gloo")));
            row.put("ipc/memcpy", ratio(busbw.get("tributary-ipc"), copy == null ? null : bytes / copy / 1e9));
        }));
        table.finish();
    }

    private static Double ratio(final Double a, final Double b)
    {
        return a == null || b == null || b == 0 ? null : a / b;
    }

    private static String size(final long bytes)
    {
        if (bytes >= 1 << 20)
        {
            return (bytes >> 20) + " MiB";
        }
        return bytes >= 1 << 10 ? (bytes >> 10) + " KiB" : bytes + " B";
    }
}
