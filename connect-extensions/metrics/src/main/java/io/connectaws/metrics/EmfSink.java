package io.connectaws.metrics;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Writes EMF lines to standard output, where ECS's awslogs driver sends them to CloudWatch Logs, which extracts
 * the metrics: no agent, no PutMetricData permission. Each line goes out in one write on the stream log4j's
 * console appender also writes to (PrintStream writes are synchronized), so lines never interleave.
 */
public final class EmfSink implements MetricsSink {
    private final EmfFormatter formatter;
    private final Supplier<PrintStream> out;

    public EmfSink(EmfFormatter formatter) {
        this(formatter, () -> System.out);
    }

    /**
     * Writes the lines to {@code out} instead of standard output: a file or pipe an agent tails (the CloudWatch agent
     * reads EMF from a log file too), or a stream a benchmark or test counts. Each line is one write, then a flush.
     */
    public EmfSink(EmfFormatter formatter, PrintStream out) {
        this(formatter, constant(Objects.requireNonNull(out, "out: the stream the EMF lines are written to")));
    }

    EmfSink(EmfFormatter formatter, Supplier<PrintStream> out) {
        this.formatter = formatter;
        this.out = out;
    }

    private static Supplier<PrintStream> constant(PrintStream out) {
        return () -> out;
    }

    @Override
    public void publish(List<Datum> data, long timestampMillis) {
        PrintStream stream = out.get();
        for (String line : formatter.format(data, timestampMillis)) {
            byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
            stream.write(bytes, 0, bytes.length);
        }
        stream.flush();
    }
}
