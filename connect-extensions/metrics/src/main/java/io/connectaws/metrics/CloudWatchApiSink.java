package io.connectaws.metrics;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.CompressionConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClientBuilder;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.StatisticSet;

/**
 * Publishes data points with PutMetricData through the AWS SDK v2: at most 1,000 data points per call, gzip
 * request compression, the SDK's retries with back-off on throttling. Rollup sets are aggregated in the worker
 * into statistic sets. Points of a call that still fails (throttled or unreachable) are kept, up to
 * {@link #MAX_PENDING}, and sent first in the next interval with their own timestamps; a call CloudWatch refuses
 * as invalid is dropped with the reason logged, since sending it again cannot succeed.
 */
public final class CloudWatchApiSink implements MetricsSink {
    private static final Logger log = LoggerFactory.getLogger(CloudWatchApiSink.class);
    public static final int MAX_DATUMS_PER_CALL = 1000;
    static final int MAX_PENDING = 20_000;
    static final int MAX_ATTEMPTS = 5;

    private final CloudWatchClient client;
    private final String namespace;
    private final DimensionPlan plan;
    private final Deque<MetricDatum> pending = new ArrayDeque<>();
    private long calls;
    private long failedCalls;
    private boolean failing;

    public CloudWatchApiSink(CloudWatchClient client, String namespace, DimensionPlan plan) {
        this.client = client;
        this.namespace = namespace;
        this.plan = plan;
    }

    /** A client with this sink's retry, compression and timeout settings; region and endpoint as configured. */
    public static CloudWatchClient client(String region, String endpoint) {
        return client(region, endpoint, MAX_ATTEMPTS);
    }

    static CloudWatchClient client(String region, String endpoint, int maxAttempts) {
        CloudWatchClientBuilder builder = CloudWatchClient.builder()
                .httpClient(Apache5HttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(20))
                        .build())
                .overrideConfiguration(o -> o
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(maxAttempts).build())
                        .compressionConfiguration(CompressionConfiguration.builder().requestCompressionEnabled(true).build())
                        .apiCallTimeout(Duration.ofSeconds(60)));
        if (region != null) {
            builder.region(Region.of(region));
        }
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }

    @Override
    public synchronized void publish(List<Datum> data, long timestampMillis) {
        List<MetricDatum> all = new ArrayList<>(pending);
        pending.clear();
        all.addAll(toMetricData(data, timestampMillis));
        int sent = 0;
        for (int from = 0; from < all.size(); from += MAX_DATUMS_PER_CALL) {
            List<MetricDatum> batch = all.subList(from, Math.min(all.size(), from + MAX_DATUMS_PER_CALL));
            calls++;
            try {
                client.putMetricData(r -> r.namespace(namespace).metricData(batch));
                sent += batch.size();
            } catch (AwsServiceException e) {
                failedCalls++;
                if (e.statusCode() >= 400 && e.statusCode() < 500 && !e.isThrottlingException()) {
                    log.error("CloudWatch refused {} data points ({}: {}); they are dropped", batch.size(),
                            e.awsErrorDetails() == null ? e.statusCode() : e.awsErrorDetails().errorCode(),
                            e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage());
                    continue;
                }
                keep(all.subList(from, all.size()), e);
                return;
            } catch (SdkException e) {
                failedCalls++;
                keep(all.subList(from, all.size()), e);
                return;
            }
        }
        if (failing) {
            log.info("CloudWatch PutMetricData works again; {} data points sent", sent);
            failing = false;
        }
    }

    private void keep(List<MetricDatum> unsent, SdkException e) {
        pending.addAll(unsent);
        int dropped = 0;
        while (pending.size() > MAX_PENDING) {
            pending.removeFirst();
            dropped++;
        }
        failing = true;
        String reason = e instanceof AwsServiceException s && s.awsErrorDetails() != null
                ? s.awsErrorDetails().errorCode() + ": " + s.awsErrorDetails().errorMessage()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        log.warn("CloudWatch PutMetricData failed after the SDK's retries ({}); {} data points kept for the next interval{}",
                reason, pending.size(), dropped > 0 ? ", " + dropped + " oldest dropped" : "");
    }

    /** Data points not yet accepted by CloudWatch. */
    @Override
    public synchronized int pending() {
        return pending.size();
    }

    /** PutMetricData calls made, and how many of them failed. */
    public synchronized long[] calls() {
        return new long[] {calls, failedCalls};
    }

    /**
     * One MetricDatum per point and dimension set (none for a point the plan does not publish); points sharing a set
     * become one statistic set.
     */
    List<MetricDatum> toMetricData(List<Datum> data, long timestampMillis) {
        Map<List<Object>, Aggregate> byKey = new LinkedHashMap<>();
        for (Datum d : data) {
            for (List<String> set : plan.setsFor(d.name(), d.dimensions())) {
                List<Dimension> dims = new ArrayList<>(set.size());
                for (String name : set) {
                    String value = plan.extra().containsKey(name) ? plan.extra().get(name) : d.dimensions().get(name);
                    dims.add(Dimension.builder().name(name).value(value).build());
                }
                byKey.computeIfAbsent(List.of(d.name(), dims), k -> new Aggregate(d, dims)).add(d.value());
            }
        }
        Instant timestamp = Instant.ofEpochMilli(timestampMillis);
        List<MetricDatum> out = new ArrayList<>(byKey.size());
        for (Aggregate a : byKey.values()) {
            MetricDatum.Builder b = MetricDatum.builder().metricName(a.first.name()).unit(StandardUnit.fromValue(a.first.unit()))
                    .dimensions(a.dimensions).timestamp(timestamp).storageResolution(60);
            if (a.count == 1) {
                b.value(a.sum);
            } else {
                b.statisticValues(StatisticSet.builder().sampleCount((double) a.count).sum(a.sum).minimum(a.min).maximum(a.max).build());
            }
            out.add(b.build());
        }
        return out;
    }

    /** The points of one metric under one dimension set. */
    private static final class Aggregate {
        final Datum first;
        final List<Dimension> dimensions;
        int count;
        double sum;
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;

        Aggregate(Datum first, List<Dimension> dimensions) {
            this.first = first;
            this.dimensions = dimensions;
        }

        void add(double value) {
            count++;
            sum += value;
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
