package io.connectaws.it.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterCombinationException;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterValueException;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.MissingRequiredParameterException;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.StatisticSet;

/**
 * CloudWatch PutMetricData through the real SDK client (Smithy RPC v2 CBOR, gzip above 10 KiB), plus the AWS JSON 1.0
 * and Query forms as raw signed requests, and the /_local/cloudwatch routes.
 */
class CloudWatchTest {
    private static final String REGION = "eu-west-1";
    private final HttpClient http = HttpClient.newHttpClient();
    private LocalAws aws;

    @BeforeEach
    void start() {
        aws = LocalAws.start(0, REGION);
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    private static MetricDatum datum(String name, double value) {
        return MetricDatum.builder().metricName(name).value(value).build();
    }

    private static Map<String, String> ordered(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void valueStatisticValuesAndValuesRoundTrip() {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(60);
        try (CloudWatchClient cw = Sdk.cloudWatch(aws)) {
            cw.putMetricData(r -> r.namespace("Connect/Worker").metricData(
                MetricDatum.builder().metricName("records-sent").value(1234.5).unit(StandardUnit.COUNT).timestamp(at)
                    .dimensions(Dimension.builder().name("task").value("sink-0").build(),
                        Dimension.builder().name("connector").value("s3-sink").build(),
                        Dimension.builder().name("cluster").value("blue").build())
                    .storageResolution(1).build(),
                MetricDatum.builder().metricName("latency").unit(StandardUnit.MILLISECONDS).timestamp(at)
                    .statisticValues(StatisticSet.builder().sampleCount(4.0).sum(10.5).minimum(0.5).maximum(5.0)
                        .build()).build(),
                MetricDatum.builder().metricName("batch-size").unit(StandardUnit.BYTES_SECOND)
                    .values(1.0, 2.5, 1e-5).counts(3.0, 1.0, 2.0).storageResolution(60).build()));
        }
        assertThat(aws.metricData()).containsExactly(
            new CloudWatchDatum("Connect/Worker", "records-sent", ordered("task", "sink-0", "connector", "s3-sink",
                "cluster", "blue"), "Count", at, 1234.5, null, List.of(), List.of(), 1, false),
            new CloudWatchDatum("Connect/Worker", "latency", Map.of(), "Milliseconds", at, null,
                new CloudWatchDatum.StatisticSet(4, 10.5, 0.5, 5), List.of(), List.of(), null, false),
            new CloudWatchDatum("Connect/Worker", "batch-size", Map.of(), "Bytes/Second", null, null, null,
                List.of(1.0, 2.5, 1e-5), List.of(3.0, 1.0, 2.0), 60, false));
        // record equality ignores map order; the request's order is kept
        assertThat(aws.metricData().get(0).dimensions().keySet()).containsExactly("task", "connector", "cluster");
        assertThat(aws.putMetricDataCalls()).singleElement().satisfies(c -> {
            assertThat(c.protocol()).isEqualTo("rpcv2Cbor");
            assertThat(c.accessKeyId()).isEqualTo(LocalAws.ACCESS_KEY_ID);
            assertThat(c.compressed()).isFalse();
            assertThat(c.decodedBytes()).isEqualTo(c.bodyBytes()).isPositive();
            assertThat(c.datums()).isEqualTo(3);
            assertThat(c.status()).isEqualTo(200);
            assertThat(c.errorCode()).isNull();
        });
        assertThat(aws.requests()).singleElement().satisfies(r -> {
            assertThat(r.action()).isEqualTo("cloudwatch.PutMetricData");
            assertThat(r.service()).isEqualTo("monitoring");
            assertThat(r.signatureValid()).isTrue();
        });
    }

    @Test
    void aThousandDatumsAreAcceptedAThousandAndOneRefused() {
        try (CloudWatchClient cw = Sdk.cloudWatch(aws)) {
            List<MetricDatum> thousand = IntStream.range(0, 1000).mapToObj(i -> datum("m" + i, i)).toList();
            cw.putMetricData(r -> r.namespace("NS").metricData(thousand));
            assertThat(aws.metricData()).hasSize(1000);
            assertThat(aws.metricData().get(999).metricName()).isEqualTo("m999");

            List<MetricDatum> tooMany = new ArrayList<>(thousand);
            tooMany.add(datum("one-more", 1));
            assertThatThrownBy(() -> cw.putMetricData(r -> r.namespace("NS").metricData(tooMany)))
                .isInstanceOfSatisfying(InvalidParameterValueException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
                    assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("The collection MetricData must not have a size greater than 1000.");
                });
        }
        assertThat(aws.metricData()).hasSize(1000);
        assertThat(aws.putMetricDataCalls()).extracting(CloudWatchCall::status, CloudWatchCall::datums,
            CloudWatchCall::errorCode).containsExactly(tuple(200, 1000, null),
            tuple(400, 0, "InvalidParameterValue"));
    }

    /** Sends one datum built by {@code datum} and expects CloudWatch's error; nothing may be stored. */
    private void refused(CloudWatchClient cw, Consumer<MetricDatum.Builder> datum, Class<? extends Throwable> type,
                         String code, String message) {
        MetricDatum.Builder b = MetricDatum.builder().metricName("m");
        datum.accept(b);
        assertThatThrownBy(() -> cw.putMetricData(r -> r.namespace("NS").metricData(b.build())))
            .isInstanceOfSatisfying(CloudWatchException.class, e -> {
                assertThat(e).isInstanceOf(type);
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
                assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
            });
    }

    @Test
    void invalidDatumsAreRefusedWithCloudWatchsCodes() {
        String p = "MetricData.member.1";
        List<Dimension> thirtyOne = IntStream.range(0, 31)
            .mapToObj(i -> Dimension.builder().name("d" + i).value("v").build()).toList();
        try (CloudWatchClient cw = Sdk.cloudWatch(aws)) {
            refused(cw, b -> b.value(1.0).unit("Furlongs"), InvalidParameterValueException.class,
                "InvalidParameterValue", "The parameter " + p + ".Unit must be a value in the set [ "
                    + String.join(", ", CloudWatchApi.UNITS) + " ].");
            refused(cw, b -> b.value(1.0).dimensions(thirtyOne), InvalidParameterValueException.class,
                "InvalidParameterValue", "The collection " + p + ".Dimensions must not have a size greater than 30.");
            refused(cw, b -> b.metricName("n".repeat(256)).value(1.0), InvalidParameterValueException.class,
                "InvalidParameterValue", "The parameter " + p + ".MetricName must be shorter than 256 characters.");
            refused(cw, b -> b.value(Double.NaN), InvalidParameterValueException.class, "InvalidParameterValue",
                "The value NaN for parameter " + p + ".Value is invalid.");
            refused(cw, b -> b.value(Double.POSITIVE_INFINITY), InvalidParameterValueException.class,
                "InvalidParameterValue", "The value Infinity for parameter " + p + ".Value is invalid.");
            refused(cw, b -> b.value(1e300), InvalidParameterValueException.class, "InvalidParameterValue",
                "The value 1.0E300 for parameter " + p + ".Value is invalid.");
            refused(cw, b -> b.value(1.0).statisticValues(s -> s.sampleCount(1.0).sum(1.0).minimum(1.0).maximum(1.0)),
                InvalidParameterCombinationException.class, "InvalidParameterCombination", "The parameters " + p
                    + ".Value and " + p + ".StatisticValues are mutually exclusive and you have specified both.");
            refused(cw, b -> b.value(1.0).values(1.0), InvalidParameterCombinationException.class,
                "InvalidParameterCombination", "The parameters " + p + ".Value and " + p + ".Values are mutually "
                    + "exclusive and you have specified both.");
            refused(cw, b -> b.unit(StandardUnit.COUNT), InvalidParameterCombinationException.class,
                "InvalidParameterCombination", "At least one of the parameters " + p + ".Value, " + p
                    + ".StatisticValues or " + p + ".Values must be specified.");
            refused(cw, b -> b.statisticValues(s -> s.sampleCount(1.0).sum(1.0).minimum(1.0)),
                MissingRequiredParameterException.class, "MissingParameter",
                "The parameter " + p + ".StatisticValues.Maximum is required.");
            refused(cw, b -> b.values(IntStream.range(0, 151).mapToObj(i -> (double) i).toList()),
                InvalidParameterValueException.class, "InvalidParameterValue",
                "The collection " + p + ".Values must not have a size greater than 150.");
            refused(cw, b -> b.values(1.0, 2.0).counts(1.0), InvalidParameterValueException.class,
                "InvalidParameterValue", "The parameters " + p + ".Values and " + p + ".Counts must be of the same "
                    + "size.");
            refused(cw, b -> b.value(1.0).dimensions(d -> d.name("host").value("")),
                MissingRequiredParameterException.class, "MissingParameter",
                "The parameter " + p + ".Dimensions.member.1.Value is required.");
            refused(cw, b -> b.value(1.0).dimensions(d -> d.name("host").value("v".repeat(1025))),
                InvalidParameterValueException.class, "InvalidParameterValue",
                "The parameter " + p + ".Dimensions.member.1.Value must be shorter than 1025 characters.");
            refused(cw, b -> b.value(1.0).storageResolution(5), InvalidParameterValueException.class,
                "InvalidParameterValue", "The value 5 for parameter " + p + ".StorageResolution is invalid.");
            refused(cw, b -> b.value(1.0).timestamp(Instant.now().minus(Duration.ofDays(15))),
                InvalidParameterValueException.class, "InvalidParameterValue",
                "The parameter " + p + ".Timestamp must specify a time within the past two weeks.");

            assertThatThrownBy(() -> cw.putMetricData(r -> r.metricData(datum("m", 1))))
                .isInstanceOfSatisfying(MissingRequiredParameterException.class, e -> assertThat(
                    e.awsErrorDetails().errorCode()).isEqualTo("MissingParameter"));
            assertThatThrownBy(() -> cw.putMetricData(r -> r.namespace("AWS/EC2").metricData(datum("m", 1))))
                .isInstanceOfSatisfying(InvalidParameterValueException.class, e -> assertThat(e.awsErrorDetails()
                    .errorMessage()).isEqualTo("The value AWS/EC2 for parameter Namespace is invalid."));
            // one bad datum refuses the whole request
            assertThatThrownBy(() -> cw.putMetricData(r -> r.namespace("NS").metricData(datum("ok", 1),
                MetricDatum.builder().metricName("bad").value(Double.NaN).build())))
                .isInstanceOf(InvalidParameterValueException.class)
                .hasMessageStartingWith("The value NaN for parameter MetricData.member.2.Value is invalid.");

            // the boundaries themselves are accepted
            cw.putMetricData(r -> r.namespace("n".repeat(255)).metricData(MetricDatum.builder()
                .metricName("m".repeat(255)).value(Math.scalb(1.0, 359)).unit(StandardUnit.NONE)
                .dimensions(IntStream.range(0, 30).mapToObj(i -> Dimension.builder().name("d" + i)
                    .value("v".repeat(1024)).build()).toList()).build()));
        }
        assertThat(aws.metricData()).singleElement().satisfies(d -> assertThat(d.dimensions()).hasSize(30));
        assertThat(aws.putMetricDataCalls()).hasSize(20)
            .allSatisfy(c -> assertThat(c.protocol()).isEqualTo("rpcv2Cbor"));
    }

    @Test
    void theLocalUnitsAreTheSdksStandardUnits() {
        assertThat(CloudWatchApi.UNITS).containsExactlyInAnyOrderElementsOf(
            StandardUnit.knownValues().stream().map(StandardUnit::toString).collect(Collectors.toList()));
    }

    @Test
    void aLargeRequestArrivesGzipCompressedAndIsDecoded() {
        List<MetricDatum> many = IntStream.range(0, 300).mapToObj(i -> MetricDatum.builder()
            .metricName("connect.worker.metric." + i).value(i * 0.5).unit(StandardUnit.PERCENT)
            .dimensions(Dimension.builder().name("worker").value("worker-" + (i % 3)).build()).build()).toList();
        try (CloudWatchClient cw = Sdk.cloudWatch(aws)) {
            cw.putMetricData(r -> r.namespace("Big").metricData(many));
            cw.putMetricData(r -> r.namespace("Small").metricData(datum("one", 1)));
        }
        List<CloudWatchCall> calls = aws.putMetricDataCalls();
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).compressed()).isTrue();
        assertThat(calls.get(0).decodedBytes()).isGreaterThan(10 * 1024);
        assertThat(calls.get(0).bodyBytes()).isLessThan(calls.get(0).decodedBytes());
        assertThat(calls.get(0).datums()).isEqualTo(300);
        assertThat(calls.get(1).compressed()).isFalse();
        assertThat(aws.requests()).allSatisfy(r -> assertThat(r.signatureValid()).isTrue());

        List<CloudWatchDatum> stored = aws.metricData();
        assertThat(stored).hasSize(301);
        assertThat(stored.subList(0, 300)).allSatisfy(d -> {
            assertThat(d.compressed()).isTrue();
            assertThat(d.namespace()).isEqualTo("Big");
        });
        assertThat(stored.get(299)).satisfies(d -> {
            assertThat(d.metricName()).isEqualTo("connect.worker.metric.299");
            assertThat(d.value()).isEqualTo(149.5);
            assertThat(d.dimensions()).containsExactly(Map.entry("worker", "worker-2"));
        });
        assertThat(stored.get(300).compressed()).isFalse();
    }

    @Test
    void aBodyOverOneMebibyteDecompressedIsTooLarge() {
        // 40 datums × 30 dimensions × 1 KiB values: ~1.2 MiB of CBOR, a few KiB once gzipped
        List<MetricDatum> big = IntStream.range(0, 40).mapToObj(i -> MetricDatum.builder().metricName("m" + i)
            .value(1.0).dimensions(IntStream.range(0, 30).mapToObj(j -> Dimension.builder().name("d" + j)
                .value("v".repeat(1024)).build()).toList()).build()).toList();
        try (CloudWatchClient cw = Sdk.cloudWatch(aws)) {
            assertThatThrownBy(() -> cw.putMetricData(r -> r.namespace("NS").metricData(big)))
                .isInstanceOfSatisfying(CloudWatchException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(413);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("RequestEntityTooLarge");
                    assertThat(e.awsErrorDetails().errorMessage()).matches("Request size \\d+ exceeded 1048576 bytes");
                });
        }
        assertThat(aws.putMetricDataCalls()).singleElement().satisfies(c -> {
            assertThat(c.compressed()).isTrue();
            assertThat(c.bodyBytes()).isLessThan(64 * 1024);
            assertThat(c.status()).isEqualTo(413);
        });
        assertThat(aws.metricData()).isEmpty();
    }

    @Test
    void aWrongSecretKeyIsRefused() {
        try (CloudWatchClient cw = Sdk.cloudWatch(aws, StaticCredentialsProvider.create(AwsBasicCredentials.create(
            LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY + "x")), b -> { })) {
            assertThatThrownBy(() -> cw.putMetricData(r -> r.namespace("NS").metricData(datum("m", 1))))
                .isInstanceOfSatisfying(CloudWatchException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
                    assertThat(e.awsErrorDetails().errorMessage())
                        .startsWith("The request signature we calculated does not match");
                });
        }
        // not retried (the answer's Date header shows no clock skew) and nothing stored
        assertThat(aws.requests()).singleElement().satisfies(r -> {
            assertThat(r.signatureValid()).isFalse();
            assertThat(r.service()).isEqualTo("monitoring");
        });
        assertThat(aws.putMetricDataCalls()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(403);
            assertThat(c.errorCode()).isEqualTo("SignatureDoesNotMatch");
            assertThat(c.decodedBytes()).isEqualTo(-1);
        });
        assertThat(aws.metricData()).isEmpty();
    }

    @Test
    void throttlingIsRetriedWithTheSdksBackOffThenSurfaces() {
        try (CloudWatchClient cw = Sdk.cloudWatchWithSdkRetries(aws)) {
            aws.throttleNext(2);
            cw.putMetricData(r -> r.namespace("NS").metricData(datum("m", 1)));
            List<CloudWatchCall> calls = aws.putMetricDataCalls();
            assertThat(calls).extracting(CloudWatchCall::status).containsExactly(400, 400, 200);
            assertThat(calls).extracting(CloudWatchCall::errorCode).containsExactly("Throttling", "Throttling", null);
            assertThat(aws.metricData()).hasSize(1);
            // the SDK's throttling back-off (exponential, half jitter: 250–500 ms, then 500–1000 ms in legacy mode,
            // 500–1000 ms, then 1–2 s in standard mode)
            assertThat(Duration.between(calls.get(0).time(), calls.get(1).time())).isGreaterThanOrEqualTo(
                Duration.ofMillis(240));
            assertThat(Duration.between(calls.get(1).time(), calls.get(2).time())).isGreaterThanOrEqualTo(
                Duration.ofMillis(490));

            aws.clearMetricData();
            aws.throttleNext(100);
            AtomicInteger attempts = new AtomicInteger();
            assertThatThrownBy(() -> cw.putMetricData(r -> r.namespace("NS").metricData(datum("m", 2))))
                .isInstanceOfSatisfying(CloudWatchException.class, e -> {
                    assertThat(e.isThrottlingException()).isTrue();
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Throttling");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Rate exceeded");
                    attempts.set(e.numAttempts());
                });
            // every attempt the SDK allows (4 in its default legacy mode) was throttled
            assertThat(attempts.get()).isGreaterThanOrEqualTo(3);
            assertThat(aws.putMetricDataCalls()).hasSize(attempts.get())
                .allSatisfy(c -> assertThat(c.errorCode()).isEqualTo("Throttling"));
            assertThat(aws.metricData()).isEmpty();
            aws.throttleNext(0);
        }
    }

    // ---- the other wire forms, as raw signed requests ----

    private HttpResponse<String> signedPost(Map<String, String> headers, byte[] body) throws Exception {
        URI uri = aws.endpoint().resolve("/");
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri);
        headers.forEach(request::putHeader);
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
            .identity(AwsCredentialsIdentity.create(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY))
            .request(request.build())
            .payload(() -> new ByteArrayInputStream(body))
            .putProperty(AwsV4HttpSigner.REGION_NAME, REGION)
            .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "monitoring"));
        HttpRequest.Builder out = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        signed.request().forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                values.forEach(v -> out.header(name, v));
            }
        });
        return http.send(out.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String form(String... keysAndValues) {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            pairs.add(URLEncoder.encode(keysAndValues[i], StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(keysAndValues[i + 1], StandardCharsets.UTF_8));
        }
        return String.join("&", pairs);
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return out.toByteArray();
    }

    @Test
    void theQueryProtocolFormIsAcceptedCompressedOrNot() throws Exception {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(5);
        String body = form("Action", "PutMetricData", "Version", "2010-08-01", "Namespace", "Legacy/App",
            "MetricData.member.1.MetricName", "requests", "MetricData.member.1.Value", "42",
            "MetricData.member.1.Unit", "Count", "MetricData.member.1.Timestamp", at.toString(),
            "MetricData.member.1.Dimensions.member.1.Name", "host",
            "MetricData.member.1.Dimensions.member.1.Value", "a b",
            "MetricData.member.1.Dimensions.member.2.Name", "az",
            "MetricData.member.1.Dimensions.member.2.Value", "eu-west-1a",
            "MetricData.member.2.MetricName", "latency",
            "MetricData.member.2.StatisticValues.SampleCount", "2", "MetricData.member.2.StatisticValues.Sum", "3",
            "MetricData.member.2.StatisticValues.Minimum", "1", "MetricData.member.2.StatisticValues.Maximum", "2",
            "MetricData.member.3.MetricName", "sizes", "MetricData.member.3.Values.member.1", "1.5",
            "MetricData.member.3.Values.member.2", "2.5", "MetricData.member.3.Counts.member.1", "10",
            "MetricData.member.3.Counts.member.2", "20", "MetricData.member.3.StorageResolution", "1");
        Map<String, String> headers = Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        HttpResponse<String> plain = signedPost(headers, body.getBytes(StandardCharsets.UTF_8));
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.body()).startsWith("<PutMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/"
            + "2010-08-01/\">").contains("<RequestId>");

        HttpResponse<String> compressed = signedPost(Map.of("Content-Type",
            "application/x-www-form-urlencoded; charset=utf-8", "Content-Encoding", "gzip"),
            gzip(body.getBytes(StandardCharsets.UTF_8)));
        assertThat(compressed.statusCode()).isEqualTo(200);

        List<CloudWatchDatum> stored = aws.metricData();
        assertThat(stored).hasSize(6);
        for (int i = 0; i < 6; i += 3) {
            boolean gz = i == 3;
            assertThat(stored.subList(i, i + 3)).containsExactly(
                new CloudWatchDatum("Legacy/App", "requests", ordered("host", "a b", "az", "eu-west-1a"), "Count", at,
                    42.0, null, List.of(), List.of(), null, gz),
                new CloudWatchDatum("Legacy/App", "latency", Map.of(), null, null, null,
                    new CloudWatchDatum.StatisticSet(2, 3, 1, 2), List.of(), List.of(), null, gz),
                new CloudWatchDatum("Legacy/App", "sizes", Map.of(), null, null, null, null, List.of(1.5, 2.5),
                    List.of(10.0, 20.0), 1, gz));
        }
        assertThat(aws.putMetricDataCalls()).extracting(CloudWatchCall::protocol, CloudWatchCall::compressed)
            .containsExactly(tuple("awsQuery", false),
                tuple("awsQuery", true));

        HttpResponse<String> missing = signedPost(headers, form("Action", "PutMetricData", "Version", "2010-08-01",
            "MetricData.member.1.MetricName", "m", "MetricData.member.1.Value", "1").getBytes(StandardCharsets.UTF_8));
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("<ErrorResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\">",
            "<Type>Sender</Type>", "<Code>MissingParameter</Code>",
            "<Message>The parameter Namespace is required.</Message>");

        HttpResponse<String> other = signedPost(headers, form("Action", "ListMetrics", "Version", "2010-08-01")
            .getBytes(StandardCharsets.UTF_8));
        assertThat(other.statusCode()).isEqualTo(400);
        assertThat(other.body()).contains("<Code>InvalidAction</Code>");
        assertThat(aws.count("cloudwatch.ListMetrics")).isEqualTo(1);
        assertThat(aws.putMetricDataCalls()).hasSize(3);
    }

    @Test
    void theAwsJson10FormIsAccepted() throws Exception {
        Map<String, String> headers = Map.of("Content-Type", "application/x-amz-json-1.0",
            "X-Amz-Target", "GraniteServiceVersion20100801.PutMetricData");
        HttpResponse<String> ok = signedPost(headers, ("{\"Namespace\":\"J\",\"MetricData\":[{\"MetricName\":\"m\","
            + "\"Value\":2.5,\"Unit\":\"Seconds\",\"Dimensions\":[{\"Name\":\"k\",\"Value\":\"v\"}]}]}")
            .getBytes(StandardCharsets.UTF_8));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("{}");
        assertThat(aws.metricData()).containsExactly(new CloudWatchDatum("J", "m", Map.of("k", "v"), "Seconds", null,
            2.5, null, List.of(), List.of(), null, false));

        HttpResponse<String> nan = signedPost(headers, ("{\"Namespace\":\"J\",\"MetricData\":[{\"MetricName\":\"m\","
            + "\"Value\":\"NaN\"}]}").getBytes(StandardCharsets.UTF_8));
        assertThat(nan.statusCode()).isEqualTo(400);
        assertThat(nan.headers().firstValue("x-amzn-query-error")).hasValue("InvalidParameterValue;Sender");
        JsonNode error = LocalAws.JSON.readTree(nan.body());
        assertThat(error.path("__type").asText()).isEqualTo("com.amazonaws.cloudwatch#InvalidParameterValueException");
        assertThat(error.path("message").asText()).isEqualTo("The value NaN for parameter MetricData.member.1.Value is "
            + "invalid.");
        assertThat(aws.putMetricDataCalls()).extracting(CloudWatchCall::protocol).containsOnly("awsJson1_0");
    }

    // ---- the test API over HTTP ----

    private HttpResponse<String> local(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(aws.endpoint() + path))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theLocalRoutesShowWhatWasRecordedAndArmThrottling() throws Exception {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(30);
        try (CloudWatchClient cw = Sdk.cloudWatch(aws)) {
            HttpResponse<String> armed = local("POST", LocalAws.THROTTLE_PATH, "{\"requests\": 1}");
            assertThat(armed.statusCode()).isEqualTo(200);
            assertThat(LocalAws.JSON.readTree(armed.body()).path("remaining").asInt()).isEqualTo(1);
            cw.putMetricData(r -> r.namespace("Http").metricData(
                MetricDatum.builder().metricName("a").value(3.0).unit(StandardUnit.COUNT).timestamp(at)
                    .dimensions(Dimension.builder().name("z").value("1").build(),
                        Dimension.builder().name("a").value("2").build()).build(),
                MetricDatum.builder().metricName("b").statisticValues(s -> s.sampleCount(2.0).sum(4.0).minimum(1.0)
                    .maximum(3.0)).build(),
                MetricDatum.builder().metricName("c").values(1.0, 2.0).counts(5.0, 6.0).storageResolution(1).build()));
        }
        assertThat(LocalAws.JSON.readTree(local("GET", LocalAws.THROTTLE_PATH, null).body()).path("remaining").asInt())
            .isZero();

        JsonNode data = LocalAws.JSON.readTree(local("GET", "/_local/cloudwatch/metric-data", null).body());
        assertThat(data).hasSize(3);
        assertThat(data.get(0).toString()).isEqualTo("{\"namespace\":\"Http\",\"metricName\":\"a\","
            + "\"dimensions\":{\"z\":\"1\",\"a\":\"2\"},\"unit\":\"Count\",\"timestamp\":\"" + at + "\",\"value\":3.0,"
            + "\"statisticValues\":null,\"values\":[],\"counts\":[],\"storageResolution\":null,\"compressed\":false}");
        assertThat(data.get(1).path("statisticValues").toString())
            .isEqualTo("{\"sampleCount\":2.0,\"sum\":4.0,\"minimum\":1.0,\"maximum\":3.0}");
        assertThat(data.get(1).path("value").isNull()).isTrue();
        assertThat(data.get(2).path("values").toString()).isEqualTo("[1.0,2.0]");
        assertThat(data.get(2).path("counts").toString()).isEqualTo("[5.0,6.0]");
        assertThat(data.get(2).path("storageResolution").asInt()).isEqualTo(1);

        JsonNode calls = LocalAws.JSON.readTree(local("GET", "/_local/cloudwatch/calls", null).body());
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).path("status").asInt()).isEqualTo(400);
        assertThat(calls.get(0).path("errorCode").asText()).isEqualTo("Throttling");
        assertThat(calls.get(0).path("datums").asInt()).isZero();
        assertThat(calls.get(1).path("status").asInt()).isEqualTo(200);
        assertThat(calls.get(1).path("errorCode").isNull()).isTrue();
        assertThat(calls.get(1).path("datums").asInt()).isEqualTo(3);
        assertThat(calls.get(1).path("protocol").asText()).isEqualTo("rpcv2Cbor");
        assertThat(calls.get(1).path("accessKeyId").asText()).isEqualTo(LocalAws.ACCESS_KEY_ID);
        assertThat(calls.get(1).path("compressed").asBoolean()).isFalse();
        assertThat(calls.get(1).path("bodyBytes").asInt()).isEqualTo(calls.get(1).path("decodedBytes").asInt());

        assertThat(local("DELETE", "/_local/cloudwatch/metric-data", null).statusCode()).isEqualTo(200);
        assertThat(local("GET", "/_local/cloudwatch/metric-data", null).body()).isEqualTo("[]");
        assertThat(local("GET", "/_local/cloudwatch/calls", null).body()).isEqualTo("[]");
        assertThat(aws.metricData()).isEmpty();
        assertThat(local("POST", "/_local/cloudwatch/calls", "").statusCode()).isEqualTo(405);
        assertThat(local("POST", LocalAws.THROTTLE_PATH, "{\"requests\": -1}").statusCode()).isEqualTo(400);
    }
}
