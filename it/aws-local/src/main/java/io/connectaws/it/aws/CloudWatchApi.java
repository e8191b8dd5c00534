package io.connectaws.it.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Amazon CloudWatch PutMetricData in the three forms clients send it, all signed for {@code monitoring}:
 * <ul>
 *   <li>Smithy RPC v2 CBOR, what the AWS SDK for Java 2.x (2.54.x) sends: {@code POST
 *       /service/GraniteServiceVersion20100801/operation/PutMetricData}, {@code smithy-protocol: rpc-v2-cbor},
 *       {@code Content-Type: application/cbor}, timestamps as CBOR epoch seconds;</li>
 *   <li>AWS JSON 1.0 ({@code X-Amz-Target: GraniteServiceVersion20100801.PutMetricData});</li>
 *   <li>the Query protocol (form POST with {@code Action=PutMetricData&Version=2010-08-01}, XML answers), what older
 *       SDKs and the AWS CLI send.</li>
 * </ul>
 * A body may be gzip-compressed ({@code Content-Encoding: gzip}; the SDK compresses PutMetricData bodies of 10 KiB and
 * more). The signature covers the body as sent, the 1 MiB limit the decompressed one.
 *
 * <p>Validation follows CloudWatch's limits: Namespace required (≤ 255 characters, not {@code AWS/...}), 1–1000
 * MetricData, MetricName 1–255 characters, ≤ 30 Dimensions with unique names of 1–255 and values of 1–1024
 * characters, exactly one of Value, StatisticValues (all four members) and Values (≤ 150, Counts of the same size),
 * Unit from StandardUnit, every number finite and 0 or of magnitude 2^-359..2^359 (8.515920e-109..1.174271e+108),
 * StorageResolution 1 or 60, Timestamp within the past two weeks and at most two hours ahead. A request is stored
 * whole or not at all. Errors carry the Query protocol's codes ({@code MissingParameter},
 * {@code InvalidParameterValue}, {@code InvalidParameterCombination}, HTTP 400; a body over 1 MiB is 413
 * {@code RequestEntityTooLarge}). In CBOR and JSON they are answered as the error shape's {@code __type}
 * ({@code InvalidParameterValueException}, ...) plus {@code x-amzn-query-error: <code>;Sender}, as the service is
 * {@code awsQueryCompatible}: the SDK raises the modeled exception and reports the Query code as
 * {@code awsErrorDetails().errorCode()}. Throttling is 400 {@code Throttling} ({@code __type} ThrottlingException),
 * which the SDK retries with its throttling back-off.
 *
 * <p>HTTP (every port of {@link LocalAws}): {@code GET /_local/cloudwatch/metric-data} answers the stored datums,
 * oldest first, as a JSON array of {@code {"namespace","metricName","dimensions":{...},"unit","timestamp","value",
 * "statisticValues":{"sampleCount","sum","minimum","maximum"},"values","counts","storageResolution","compressed"}};
 * {@code GET /_local/cloudwatch/calls} every PutMetricData call as {@code {"time","protocol","accessKeyId",
 * "compressed","bodyBytes","decodedBytes","datums","status","errorCode"}}; {@code DELETE} on either forgets both.
 * State is guarded by this object's monitor.
 */
final class CloudWatchApi {
    static final String SIGNING_NAME = "monitoring";
    static final String SERVICE = "GraniteServiceVersion20100801";
    /** Every Smithy RPC v2 request path starts with this. */
    static final String RPC_V2_PREFIX = "/service/";
    static final String OPERATION_PREFIX = RPC_V2_PREFIX + SERVICE + "/operation/";
    static final String TARGET_PREFIX = SERVICE + ".";
    static final String VERSION = "2010-08-01";
    static final String XMLNS = "http://monitoring.amazonaws.com/doc/2010-08-01/";
    static final String SMITHY_PROTOCOL = "rpc-v2-cbor";
    static final String PUT_METRIC_DATA = "PutMetricData";
    /** Every route of the test API starts with this. */
    static final String PATH_PREFIX = "/_local/cloudwatch/";
    static final String METRIC_DATA_PATH = PATH_PREFIX + "metric-data";
    static final String CALLS_PATH = PATH_PREFIX + "calls";
    static final int MAX_BODY_BYTES = 1024 * 1024;
    static final int MAX_DATUMS = 1000;
    static final int MAX_DIMENSIONS = 30;
    static final int MAX_NAME_LENGTH = 255;
    static final int MAX_DIMENSION_VALUE_LENGTH = 1024;
    static final int MAX_VALUES = 150;
    /** StandardUnit, in the model's order. */
    static final List<String> UNITS = List.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
        "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
        "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
        "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second",
        "None");
    private static final double MAX_MAGNITUDE = Math.scalb(1.0, 359);
    private static final double MIN_MAGNITUDE = Math.scalb(1.0, -359);
    private static final Duration MAX_AGE = Duration.ofDays(14);
    private static final Duration MAX_AHEAD = Duration.ofHours(2);
    private static final Pattern NUMBER =
        Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?|NaN|[-+]?Infinity");
    private static final Pattern MEMBER = Pattern.compile("(\\d+)(?:\\.(.*))?");
    private static final CBORMapper CBOR = new CBORMapper();
    private static final String SHAPE_NAMESPACE = "com.amazonaws.cloudwatch#";
    /** Query code → the error's {@code __type} in CBOR and JSON (modeled shapes carry the service's namespace). */
    private static final Map<String, String> ERROR_TYPES = Map.ofEntries(
        Map.entry("InvalidParameterValue", SHAPE_NAMESPACE + "InvalidParameterValueException"),
        Map.entry("InvalidParameterCombination", SHAPE_NAMESPACE + "InvalidParameterCombinationException"),
        Map.entry("MissingParameter", SHAPE_NAMESPACE + "MissingRequiredParameterException"),
        Map.entry("InternalServiceError", SHAPE_NAMESPACE + "InternalServiceFault"),
        Map.entry("Throttling", "ThrottlingException"),
        Map.entry("InvalidAction", "UnknownOperationException"),
        Map.entry("MissingAuthenticationToken", "MissingAuthenticationTokenException"),
        Map.entry("IncompleteSignature", "IncompleteSignatureException"),
        Map.entry("InvalidClientTokenId", "UnrecognizedClientException"),
        Map.entry("ExpiredToken", "ExpiredTokenException"),
        Map.entry("SignatureDoesNotMatch", "InvalidSignatureException"));

    /** The wire forms, named as in Smithy. */
    enum Protocol {
        RPC_V2_CBOR("rpcv2Cbor"), AWS_JSON_1_0("awsJson1_0"), AWS_QUERY("awsQuery");

        final String id;

        Protocol(String id) {
            this.id = id;
        }
    }

    private final Clock clock;
    private final List<CloudWatchDatum> datums = new ArrayList<>();
    private final List<CloudWatchCall> calls = new ArrayList<>();

    CloudWatchApi(Clock clock) {
        this.clock = clock;
    }

    synchronized List<CloudWatchDatum> metricData() {
        return List.copyOf(datums);
    }

    synchronized List<CloudWatchCall> calls() {
        return List.copyOf(calls);
    }

    synchronized void clear() {
        datums.clear();
        calls.clear();
    }

    /** CloudWatch's throttling answer. */
    static ApiException throttled() {
        return ApiException.badRequest("Throttling", "Rate exceeded");
    }

    // ---- wire ----

    /**
     * Answers one CloudWatch request and records it if it is a PutMetricData. {@code refusal} (a failed signature
     * check or throttling, with the Query protocol's code) is answered as is; otherwise the body is decompressed per
     * {@code contentEncoding} and decoded ({@code form}: the Query protocol's parameters, already parsed).
     */
    ApiResponse call(Protocol protocol, String operation, byte[] body, String contentEncoding,
                     Map<String, String> form, String accessKeyId, ApiException refusal) {
        Instant received = clock.instant();
        boolean compressed = contentEncoding != null && contentEncoding.trim().equalsIgnoreCase("gzip");
        int decodedBytes = -1;
        List<CloudWatchDatum> accepted = List.of();
        String errorCode = null;
        ApiResponse response;
        try {
            if (refusal != null) {
                throw refusal;
            }
            if (!PUT_METRIC_DATA.equals(operation)) {
                throw ApiException.badRequest("InvalidAction", "Could not find operation " + operation
                    + " for version " + VERSION);
            }
            byte[] plain = decode(body, contentEncoding);
            decodedBytes = plain.length;
            accepted = putMetricData(request(protocol, plain, form), compressed);
            response = success(protocol);
        } catch (ApiException e) {
            errorCode = e.code;
            response = error(protocol, e);
        }
        if (PUT_METRIC_DATA.equals(operation)) {
            synchronized (this) {
                datums.addAll(accepted);
                calls.add(new CloudWatchCall(received, protocol.id, accessKeyId, compressed, body.length,
                    decodedBytes, accepted.size(), response.status(), errorCode));
            }
        }
        return response;
    }

    /** The body as the service reads it: gunzipped if so encoded, at most 1 MiB. */
    static byte[] decode(byte[] body, String contentEncoding) {
        String encoding = contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        byte[] plain;
        long size;
        if (encoding.isEmpty() || encoding.equals("identity")) {
            plain = body;
            size = body.length;
        } else if (encoding.equals("gzip")) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                plain = in.readNBytes(MAX_BODY_BYTES + 1);
                size = plain.length + in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                throw ApiException.badRequest("SerializationException", "The request body is not valid gzip: "
                    + e.getMessage());
            }
        } else {
            throw ApiException.badRequest("SerializationException", "Unsupported Content-Encoding: "
                + contentEncoding);
        }
        if (size > MAX_BODY_BYTES) {
            throw new ApiException(413, "RequestEntityTooLarge", "Request size " + size + " exceeded "
                + MAX_BODY_BYTES + " bytes");
        }
        return plain;
    }

    private static JsonNode request(Protocol protocol, byte[] plain, Map<String, String> form) {
        if (protocol == Protocol.AWS_QUERY) {
            return fromForm(form);
        }
        try {
            JsonNode node = plain.length == 0 ? null
                : protocol == Protocol.RPC_V2_CBOR ? CBOR.readTree(plain) : LocalAws.JSON.readTree(plain);
            return node == null || node.isMissingNode() ? LocalAws.JSON.createObjectNode() : node;
        } catch (IOException e) {
            throw serialization();
        }
    }

    private static ApiResponse success(Protocol protocol) {
        switch (protocol) {
            case RPC_V2_CBOR:
                return new ApiResponse(200, "application/cbor", cbor(LocalAws.JSON.createObjectNode()),
                    Map.of("smithy-protocol", SMITHY_PROTOCOL));
            case AWS_JSON_1_0:
                return new ApiResponse(200, "application/x-amz-json-1.0", new byte[] {'{', '}'});
            default:
                return ApiResponse.xml(200, "<PutMetricDataResponse xmlns=\"" + XMLNS + "\">\n"
                    + "  <ResponseMetadata><RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata>\n"
                    + "</PutMetricDataResponse>\n");
        }
    }

    /** The error in the protocol's shape; CBOR and JSON also carry the Query code in x-amzn-query-error. */
    static ApiResponse error(Protocol protocol, ApiException e) {
        if (protocol == Protocol.AWS_QUERY) {
            return ApiResponse.xml(e.status, "<ErrorResponse xmlns=\"" + XMLNS + "\">\n"
                + "  <Error>\n"
                + "    <Type>" + (e.status >= 500 ? "Receiver" : "Sender") + "</Type>\n"
                + "    <Code>" + StsApi.xml(e.code) + "</Code>\n"
                + "    <Message>" + StsApi.xml(e.getMessage()) + "</Message>\n"
                + "  </Error>\n"
                + "  <RequestId>" + UUID.randomUUID() + "</RequestId>\n"
                + "</ErrorResponse>\n");
        }
        ObjectNode error = LocalAws.JSON.createObjectNode().put("__type", ERROR_TYPES.getOrDefault(e.code, e.code));
        if (e.getMessage() != null) {
            error.put("message", e.getMessage());
        }
        String queryError = e.code + ";" + (e.status >= 500 ? "Receiver" : "Sender");
        return protocol == Protocol.RPC_V2_CBOR
            ? new ApiResponse(e.status, "application/cbor", cbor(error),
                Map.of("smithy-protocol", SMITHY_PROTOCOL, "x-amzn-query-error", queryError))
            : new ApiResponse(e.status, "application/x-amz-json-1.0", error.toString().getBytes(StandardCharsets.UTF_8),
                Map.of("x-amzn-query-error", queryError));
    }

    private static byte[] cbor(JsonNode node) {
        try {
            return CBOR.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- PutMetricData ----

    private List<CloudWatchDatum> putMetricData(JsonNode request, boolean compressed) {
        if (!request.isObject()) {
            throw serialization();
        }
        String namespace = string(request, "Namespace");
        if (namespace == null || namespace.isEmpty()) {
            throw missing("Namespace");
        }
        checkLength(namespace, "Namespace", MAX_NAME_LENGTH);
        if (namespace.startsWith(":") || namespace.startsWith("AWS/")) {
            throw invalid(namespace, "Namespace");
        }
        JsonNode data = request.get("MetricData");
        if (data == null || data.isNull() || (data.isArray() && data.isEmpty())) {
            throw missing("MetricData");
        }
        if (!data.isArray()) {
            throw serialization();
        }
        if (data.size() > MAX_DATUMS) {
            throw tooMany("MetricData", MAX_DATUMS);
        }
        Instant now = clock.instant();
        List<CloudWatchDatum> out = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            out.add(datum(namespace, data.get(i), "MetricData.member." + (i + 1), now, compressed));
        }
        return out;
    }

    private static CloudWatchDatum datum(String namespace, JsonNode d, String p, Instant now, boolean compressed) {
        if (!d.isObject()) {
            throw serialization();
        }
        String name = string(d, "MetricName");
        if (name == null || name.isEmpty()) {
            throw missing(p + ".MetricName");
        }
        checkLength(name, p + ".MetricName", MAX_NAME_LENGTH);

        Map<String, String> dimensions = new LinkedHashMap<>();
        JsonNode dims = list(d, "Dimensions");
        if (dims.size() > MAX_DIMENSIONS) {
            throw tooMany(p + ".Dimensions", MAX_DIMENSIONS);
        }
        for (int j = 0; j < dims.size(); j++) {
            String dp = p + ".Dimensions.member." + (j + 1);
            JsonNode dim = dims.get(j);
            if (!dim.isObject()) {
                throw serialization();
            }
            String dimName = string(dim, "Name");
            String dimValue = string(dim, "Value");
            if (dimName == null || dimName.isEmpty()) {
                throw missing(dp + ".Name");
            }
            checkLength(dimName, dp + ".Name", MAX_NAME_LENGTH);
            if (dimValue == null || dimValue.isEmpty()) {
                throw missing(dp + ".Value");
            }
            checkLength(dimValue, dp + ".Value", MAX_DIMENSION_VALUE_LENGTH);
            if (dimensions.putIfAbsent(dimName, dimValue) != null) {
                throw ApiException.badRequest("InvalidParameterValue", "The collection " + p + ".Dimensions must "
                    + "not contain duplicate dimension names: " + dimName);
            }
        }

        boolean hasValue = present(d, "Value");
        boolean hasStatistics = present(d, "StatisticValues");
        JsonNode valuesNode = list(d, "Values");
        JsonNode countsNode = list(d, "Counts");
        boolean hasValues = !valuesNode.isEmpty();
        if (hasValue && hasStatistics) {
            throw exclusive(p + ".Value", p + ".StatisticValues");
        }
        if (hasValue && hasValues) {
            throw exclusive(p + ".Value", p + ".Values");
        }
        if (hasStatistics && hasValues) {
            throw exclusive(p + ".StatisticValues", p + ".Values");
        }
        if (!hasValue && !hasStatistics && !hasValues) {
            throw ApiException.badRequest("InvalidParameterCombination", "At least one of the parameters " + p
                + ".Value, " + p + ".StatisticValues or " + p + ".Values must be specified.");
        }
        if (!countsNode.isEmpty() && !hasValues) {
            throw ApiException.badRequest("InvalidParameterCombination", "The parameter " + p + ".Counts can only "
                + "be specified together with " + p + ".Values.");
        }
        Double value = hasValue ? number(d.get("Value"), p + ".Value") : null;
        CloudWatchDatum.StatisticSet statistics = null;
        if (hasStatistics) {
            JsonNode s = d.get("StatisticValues");
            if (!s.isObject()) {
                throw serialization();
            }
            String sp = p + ".StatisticValues";
            statistics = new CloudWatchDatum.StatisticSet(requiredNumber(s, "SampleCount", sp),
                requiredNumber(s, "Sum", sp), requiredNumber(s, "Minimum", sp), requiredNumber(s, "Maximum", sp));
        }
        if (valuesNode.size() > MAX_VALUES) {
            throw tooMany(p + ".Values", MAX_VALUES);
        }
        if (!countsNode.isEmpty() && countsNode.size() != valuesNode.size()) {
            throw ApiException.badRequest("InvalidParameterValue", "The parameters " + p + ".Values and " + p
                + ".Counts must be of the same size.");
        }
        List<Double> values = new ArrayList<>();
        for (int k = 0; k < valuesNode.size(); k++) {
            values.add(number(valuesNode.get(k), p + ".Values.member." + (k + 1)));
        }
        List<Double> counts = new ArrayList<>();
        for (int k = 0; k < countsNode.size(); k++) {
            counts.add(number(countsNode.get(k), p + ".Counts.member." + (k + 1)));
        }

        String unit = string(d, "Unit");
        if (unit != null && !UNITS.contains(unit)) {
            throw ApiException.badRequest("InvalidParameterValue", "The parameter " + p + ".Unit must be a value in "
                + "the set [ " + String.join(", ", UNITS) + " ].");
        }
        Instant timestamp = present(d, "Timestamp") ? timestamp(d.get("Timestamp"), p + ".Timestamp") : null;
        if (timestamp != null && timestamp.isBefore(now.minus(MAX_AGE))) {
            throw ApiException.badRequest("InvalidParameterValue", "The parameter " + p + ".Timestamp must specify "
                + "a time within the past two weeks.");
        }
        if (timestamp != null && timestamp.isAfter(now.plus(MAX_AHEAD))) {
            throw ApiException.badRequest("InvalidParameterValue", "The parameter " + p + ".Timestamp must specify "
                + "a time no more than two hours in the future.");
        }
        Integer storageResolution = null;
        if (present(d, "StorageResolution")) {
            JsonNode r = d.get("StorageResolution");
            String text = r.asText();
            if (!text.equals("1") && !text.equals("60")) {
                throw invalid(text, p + ".StorageResolution");
            }
            storageResolution = Integer.valueOf(text);
        }
        return new CloudWatchDatum(namespace, name, dimensions, unit, timestamp, value, statistics, values, counts,
            storageResolution, compressed);
    }

    // ---- decoding helpers ----

    private static boolean present(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    private static String string(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw serialization();
        }
        return value.asText();
    }

    /** A list member: empty when absent. */
    private static JsonNode list(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return LocalAws.JSON.createArrayNode();
        }
        if (!value.isArray()) {
            throw serialization();
        }
        return value;
    }

    private static double requiredNumber(JsonNode node, String field, String prefix) {
        if (!present(node, field)) {
            throw missing(prefix + "." + field);
        }
        return number(node.get(field), prefix + "." + field);
    }

    /** A double as CloudWatch accepts it: finite, and 0 or of magnitude 2^-359..2^359. */
    private static double number(JsonNode node, String parameter) {
        double v;
        if (node.isNumber()) {
            v = node.doubleValue();
        } else if (node.isTextual() && NUMBER.matcher(node.asText()).matches()) {
            v = Double.parseDouble(node.asText()); // the Query protocol's text, or JSON's "NaN"/"Infinity"
        } else if (node.isTextual()) {
            throw invalid(node.asText(), parameter);
        } else {
            throw serialization();
        }
        double magnitude = Math.abs(v);
        if (Double.isNaN(v) || Double.isInfinite(v) || magnitude > MAX_MAGNITUDE
            || (magnitude != 0 && magnitude < MIN_MAGNITUDE)) {
            throw invalid(node.isNumber() ? Double.toString(v) : node.asText(), parameter);
        }
        return v;
    }

    /** CBOR/JSON: epoch seconds (to the millisecond, as the SDK sends them); Query: ISO-8601. */
    private static Instant timestamp(JsonNode node, String parameter) {
        if (node.isNumber()) {
            double seconds = node.doubleValue();
            if (Double.isNaN(seconds) || Double.isInfinite(seconds) || Math.abs(seconds) > 1e14) {
                throw invalid(node.asText(), parameter);
            }
            return Instant.ofEpochMilli(Math.round(seconds * 1000));
        }
        if (node.isTextual()) {
            try {
                return Instant.parse(node.asText());
            } catch (DateTimeParseException e) {
                throw invalid(node.asText(), parameter);
            }
        }
        throw serialization();
    }

    /** The Query protocol's flattened parameters as the tree the CBOR and JSON forms decode to. */
    static ObjectNode fromForm(Map<String, String> form) {
        ObjectNode request = LocalAws.JSON.createObjectNode();
        if (form.containsKey("Namespace")) {
            request.put("Namespace", form.get("Namespace"));
        }
        TreeMap<Integer, Map<String, String>> members = members(form, "MetricData.member.");
        if (members.isEmpty()) {
            return request;
        }
        ArrayNode data = request.putArray("MetricData");
        for (Map<String, String> member : members.values()) {
            ObjectNode d = data.addObject();
            for (String field : List.of("MetricName", "Value", "Unit", "Timestamp", "StorageResolution")) {
                if (member.containsKey(field)) {
                    d.put(field, member.get(field));
                }
            }
            TreeMap<Integer, Map<String, String>> dims = members(member, "Dimensions.member.");
            if (!dims.isEmpty()) {
                ArrayNode out = d.putArray("Dimensions");
                for (Map<String, String> dim : dims.values()) {
                    ObjectNode o = out.addObject();
                    if (dim.containsKey("Name")) {
                        o.put("Name", dim.get("Name"));
                    }
                    if (dim.containsKey("Value")) {
                        o.put("Value", dim.get("Value"));
                    }
                }
            }
            ObjectNode statistics = null;
            for (Map.Entry<String, String> e : member.entrySet()) {
                if (e.getKey().startsWith("StatisticValues.")) {
                    if (statistics == null) {
                        statistics = d.putObject("StatisticValues");
                    }
                    statistics.put(e.getKey().substring("StatisticValues.".length()), e.getValue());
                }
            }
            for (String listName : List.of("Values", "Counts")) {
                TreeMap<Integer, Map<String, String>> items = members(member, listName + ".member.");
                if (!items.isEmpty()) {
                    ArrayNode out = d.putArray(listName);
                    items.values().forEach(item -> out.add(item.getOrDefault("", "")));
                }
            }
        }
        return request;
    }

    /** {@code <prefix><n>[.<rest>]} parameters grouped by n, each as rest → value ("" for the member itself). */
    private static TreeMap<Integer, Map<String, String>> members(Map<String, String> params, String prefix) {
        TreeMap<Integer, Map<String, String>> members = new TreeMap<>();
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                continue;
            }
            Matcher m = MEMBER.matcher(e.getKey().substring(prefix.length()));
            if (m.matches() && m.group(1).length() < 6) {
                members.computeIfAbsent(Integer.valueOf(m.group(1)), n -> new LinkedHashMap<>())
                    .put(m.group(2) == null ? "" : m.group(2), e.getValue());
            }
        }
        return members;
    }

    // ---- errors ----

    private static void checkLength(String value, String parameter, int max) {
        if (value.codePointCount(0, value.length()) > max) {
            throw ApiException.badRequest("InvalidParameterValue", "The parameter " + parameter + " must be shorter "
                + "than " + (max + 1) + " characters.");
        }
    }

    private static ApiException missing(String parameter) {
        return ApiException.badRequest("MissingParameter", "The parameter " + parameter + " is required.");
    }

    private static ApiException invalid(String value, String parameter) {
        return ApiException.badRequest("InvalidParameterValue", "The value " + value + " for parameter " + parameter
            + " is invalid.");
    }

    private static ApiException tooMany(String parameter, int max) {
        return ApiException.badRequest("InvalidParameterValue", "The collection " + parameter + " must not have a "
            + "size greater than " + max + ".");
    }

    private static ApiException exclusive(String a, String b) {
        return ApiException.badRequest("InvalidParameterCombination", "The parameters " + a + " and " + b + " are "
            + "mutually exclusive and you have specified both.");
    }

    private static ApiException serialization() {
        return ApiException.badRequest("SerializationException", "The request body could not be read as "
            + "PutMetricDataInput.");
    }

    // ---- test API over HTTP ----

    ApiResponse handleLocal(String method, String path) {
        if (!METRIC_DATA_PATH.equals(path) && !CALLS_PATH.equals(path)) {
            return ApiResponse.text(404, "not found");
        }
        if ("DELETE".equals(method)) {
            clear();
            return ApiResponse.json(200, LocalAws.JSON.createObjectNode().put("cleared", true));
        }
        if (!"GET".equals(method)) {
            return ApiResponse.text(405, "method not allowed");
        }
        return ApiResponse.json(200, METRIC_DATA_PATH.equals(path) ? metricDataJson() : callsJson());
    }

    private ArrayNode metricDataJson() {
        ArrayNode all = LocalAws.JSON.createArrayNode();
        for (CloudWatchDatum d : metricData()) {
            ObjectNode o = all.addObject()
                .put("namespace", d.namespace())
                .put("metricName", d.metricName());
            ObjectNode dims = o.putObject("dimensions");
            d.dimensions().forEach(dims::put);
            o.put("unit", d.unit())
                .put("timestamp", d.timestamp() == null ? null : d.timestamp().toString())
                .put("value", d.value());
            if (d.statisticValues() == null) {
                o.putNull("statisticValues");
            } else {
                o.putObject("statisticValues")
                    .put("sampleCount", d.statisticValues().sampleCount())
                    .put("sum", d.statisticValues().sum())
                    .put("minimum", d.statisticValues().minimum())
                    .put("maximum", d.statisticValues().maximum());
            }
            ArrayNode values = o.putArray("values");
            d.values().forEach(values::add);
            ArrayNode counts = o.putArray("counts");
            d.counts().forEach(counts::add);
            o.put("storageResolution", d.storageResolution())
                .put("compressed", d.compressed());
        }
        return all;
    }

    private ArrayNode callsJson() {
        ArrayNode all = LocalAws.JSON.createArrayNode();
        for (CloudWatchCall c : calls()) {
            all.addObject()
                .put("time", c.time().toString())
                .put("protocol", c.protocol())
                .put("accessKeyId", c.accessKeyId())
                .put("compressed", c.compressed())
                .put("bodyBytes", c.bodyBytes())
                .put("decodedBytes", c.decodedBytes())
                .put("datums", c.datums())
                .put("status", c.status())
                .put("errorCode", c.errorCode());
        }
        return all;
    }
}
