package io.tributary.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The output convention every benchmark shares: rows of named values, printed as an aligned table and
 * written as a JSON array (one object per row) to {@code bench/out/NAME.json}.
 */
public final class BenchTable
{
    private final String name;
    private final List<Map<String, Object>> rows = new ArrayList<>();

    public BenchTable(final String name)
    {
        this.name = name;
    }

    /** Starts a row; values keep insertion order, which is the column order. */
    public Map<String, Object> row()
    {
        final Map<String, Object> row = new LinkedHashMap<>();
        rows.add(row);
        return row;
    }

    public List<Map<String, Object>> rows()
    {
        return rows;
    }

    public void print(final PrintStream out)
    {
        final Set<String> columns = new LinkedHashSet<>();
        rows.forEach(r -> columns.addAll(r.keySet()));
        final Map<String, Integer> widths = new LinkedHashMap<>();
        for (final String c : columns)
        {
            int w = c.length();
            for (final Map<String, Object> r : rows)
            {
                w = Math.max(w, format(r.get(c)).length());
            }
            widths.put(c, w);
        }
        final StringBuilder header = new StringBuilder();
        final StringBuilder rule = new StringBuilder();
        for (final String c : columns)
        {
            header.append(String.format("| %-" + widths.get(c) + "s ", c));
            rule.append("|").append("-".repeat(widths.get(c) + 2));
        }
        out.println(header.append('|'));
        out.println(rule.append('|'));
        for (final Map<String, Object> r : rows)
        {
            final StringBuilder line = new StringBuilder();
            for (final String c : columns)
            {
                line.append(String.format("| %" + widths.get(c) + "s ", format(r.get(c))));
            }
            out.println(line.append('|'));
        }
    }

    /** Writes {@code dir/NAME.json}, creating the directory when missing. */
    public Path writeJson(final Path dir) throws IOException
    {
        Files.createDirectories(dir);
        final Path file = dir.resolve(name + ".json");
        final StringBuilder json = new StringBuilder("[\n");
        for (int i = 0; i < rows.size(); i++)
        {
            json.append("  {");
            int j = 0;
            for (final Map.Entry<String, Object> e : rows.get(i).entrySet())
            {
                json.append(j++ == 0 ? "" : ", ").append(quote(e.getKey())).append(": ").append(jsonValue(e.getValue()));
            }
            json.append(i + 1 < rows.size() ? "},\n" : "}\n");
        }
        json.append("]\n");
        Files.writeString(file, json, StandardCharsets.UTF_8);
        return file;
    }

    /** Prints the table and writes the JSON under {@code $BENCH_OUT} (default bench/out). */
    public void finish() throws IOException
    {
        print(System.out);
        final String outDir = System.getenv().getOrDefault("BENCH_OUT", "bench/out");
        System.out.println("wrote " + writeJson(Path.of(outDir)));
    }

    private static String format(final Object v)
    {
        if (v == null)
        {
            return "";
        }
        if (v instanceof Double || v instanceof Float)
        {
            final double d = ((Number)v).doubleValue();
            return Math.abs(d) >= 100 || d == 0 ? String.format("%.1f", d) : String.format("%.3f", d);
        }
        return v.toString();
    }

    private static String jsonValue(final Object v)
    {
        if (v == null)
        {
            return "null";
        }
        if (v instanceof Number || v instanceof Boolean)
        {
            final double d = ((Number)(v instanceof Boolean ? 0 : v)).doubleValue();
            return v instanceof Boolean ? v.toString() : (Double.isFinite(d) ? v.toString() : "null");
        }
        return quote(v.toString());
    }

    private static String quote(final String s)
    {
        final StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            switch (c)
            {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        b.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        b.append(c);
                    }
            }
        }
        return b.append('"').toString();
    }
}
