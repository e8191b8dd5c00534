package io.connectaws.launcher;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;

/**
 * Availability Zone name to Availability Zone ID ({@code us-east-1a} to e.g. {@code use1-az2}) through EC2
 * DescribeAvailabilityZones. MSK sets each broker's {@code broker.rack} to the AZ ID, and zone names map to different
 * IDs in different accounts, so a rack-aware {@code client.rack} must be the ID. The call is the EC2 Query protocol
 * over the JDK HTTP client, signed with the SDK's SigV4 signer; the caller needs IAM permission
 * {@value #PERMISSION}.
 */
public final class AvailabilityZoneIds {

    /** The IAM action the task role needs. */
    public static final String PERMISSION = "ec2:DescribeAvailabilityZones";

    private static final String API_VERSION = "2016-11-15";
    private static final int MAX_ATTEMPTS = 3;
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private final URI endpoint;
    private final String region;
    private final IdentityProvider<? extends AwsCredentialsIdentity> credentials;
    private final Duration timeout;

    AvailabilityZoneIds(URI endpoint, String region, IdentityProvider<? extends AwsCredentialsIdentity> credentials,
                        Duration timeout) {
        this.endpoint = endpoint;
        this.region = region;
        this.credentials = credentials;
        this.timeout = timeout;
    }

    /**
     * Looks up the AZ ID of {@code zoneName}. The region comes from {@code region} if not null, else AWS_REGION, else
     * AWS_DEFAULT_REGION; the endpoint from AWS_ENDPOINT_URL_EC2, else AWS_ENDPOINT_URL, else
     * {@code https://ec2.<region>.<partition DNS suffix>/}; credentials from the SDK's default chain (on ECS: the task
     * role). Everything, credential resolution included, happens within {@code timeout}.
     *
     * @throws LauncherException with one line naming {@value #PERMISSION} when there is no region, no credentials, no
     *                           answer in time, an EC2 error (its code and message) or no such zone
     */
    public static String lookup(String zoneName, String region, Map<String, String> environment, Duration timeout) {
        String resolvedRegion = region(region, environment);
        try (DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build()) {
            return new AvailabilityZoneIds(endpoint(resolvedRegion, environment), resolvedRegion, credentials, timeout)
                    .zoneId(zoneName);
        }
    }

    /** The EC2 endpoint for {@code region}: AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL, or the partition's public one. */
    static URI endpoint(String region, Map<String, String> environment) {
        for (String variable : List.of("AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL")) {
            String value = environment.get(variable);
            if (value != null && !value.isBlank()) {
                try {
                    URI uri = URI.create(value.trim());
                    if (uri.getScheme() == null || uri.getHost() == null) {
                        throw new IllegalArgumentException("no scheme or host");
                    }
                    return uri;
                } catch (IllegalArgumentException e) {
                    throw new LauncherException(variable + " is not a URL: '" + value + "'; set it to e.g. https://ec2."
                            + region + ".amazonaws.com (used to look up the Availability Zone ID with " + PERMISSION
                            + ")");
                }
            }
        }
        return URI.create("https://ec2." + region + "." + PartitionMetadata.of(Region.of(region)).dnsSuffix() + "/");
    }

    private static String region(String region, Map<String, String> environment) {
        for (String candidate : new String[] {region, environment.get("AWS_REGION"),
                environment.get("AWS_DEFAULT_REGION")}) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate.trim();
            }
        }
        throw new LauncherException("no AWS region to look up the Availability Zone ID in (" + PERMISSION
                + "): set AWS_REGION");
    }

    /** The AZ ID of {@code zoneName}, asked of this endpoint with these credentials. */
    String zoneId(String zoneName) {
        long deadline = System.nanoTime() + timeout.toNanos();
        AwsCredentialsIdentity identity = credentials(zoneName, deadline);
        String body = "Action=DescribeAvailabilityZones&Version=" + API_VERSION + "&ZoneName.1="
                + URLEncoder.encode(zoneName, StandardCharsets.UTF_8);
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout.isZero() || timeout.isNegative() ? Duration.ofMillis(1) : timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return BoundedHttp.call(client, remaining -> signed(body, identity, remaining), deadline, MAX_ATTEMPTS, 200,
                response -> {
                    Document xml = xml(response.body());
                    if (response.statusCode() == 200 && xml != null
                            && "DescribeAvailabilityZonesResponse".equals(xml.getDocumentElement().getTagName())) {
                        return BoundedHttp.Outcome.done(zoneIdIn(xml, zoneName));
                    }
                    String code = xml == null ? null : firstText(xml.getDocumentElement(), "Code");
                    String message = xml == null ? null : firstText(xml.getDocumentElement(), "Message");
                    String error = code == null ? "HTTP " + response.statusCode()
                            : code + (message == null ? "" : ": " + message) + " (HTTP " + response.statusCode() + ")";
                    if (response.statusCode() >= 500 || "RequestLimitExceeded".equals(code)) {
                        return BoundedHttp.Outcome.retry(error);
                    }
                    throw failure(zoneName, "EC2 DescribeAvailabilityZones at " + endpoint + " answered " + error);
                },
                () -> failure(zoneName, "interrupted"),
                (lastError, attempts) -> failure(zoneName, "EC2 DescribeAvailabilityZones at " + endpoint
                        + " gave no usable answer within " + EcsTaskMetadata.human(timeout) + " (last: " + lastError + ")"));
    }

    private AwsCredentialsIdentity credentials(String zoneName, long deadline) {
        CompletableFuture<? extends AwsCredentialsIdentity> future = credentials.resolveIdentity();
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw failure(zoneName, "no AWS credentials within " + EcsTaskMetadata.human(timeout));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            // the chain's messages name the providers it tried, never a key
            throw failure(zoneName, "no AWS credentials: " + BoundedHttp.describe(cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(zoneName, "interrupted");
        } catch (RuntimeException e) {
            throw failure(zoneName, "no AWS credentials: " + BoundedHttp.describe(e));
        }
    }

    /** The POST, SigV4-signed for service ec2 in this region; every header the signer set but Host (the JDK sets it). */
    private HttpRequest signed(String body, AwsCredentialsIdentity identity, Duration requestTimeout) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        URI uri = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? endpoint.resolve("/") : endpoint;
        SdkHttpRequest unsigned = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(uri)
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .build();
        SignedRequest signed = SIGNER.sign(r -> r
                .identity(identity)
                .request(unsigned)
                .payload(ContentStreamProvider.fromByteArray(bytes))
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "ec2")
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, true));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .timeout(requestTimeout);
        signed.request().forEachHeader((name, values) -> {
            if (!"host".equalsIgnoreCase(name) && !"content-length".equalsIgnoreCase(name)) {
                values.forEach(v -> request.header(name, v));
            }
        });
        return request.build();
    }

    private static String zoneIdIn(Document xml, String zoneName) {
        NodeList items = xml.getDocumentElement().getElementsByTagName("item");
        for (int i = 0; i < items.getLength(); i++) {
            Element item = (Element) items.item(i);
            if (zoneName.equals(childText(item, "zoneName"))) {
                String zoneId = childText(item, "zoneId");
                if (zoneId != null) {
                    return zoneId;
                }
            }
        }
        throw new LauncherException("EC2 DescribeAvailabilityZones knows no zone named " + zoneName
                + " (or gave no zoneId for it); cannot set client.rack to its Availability Zone ID");
    }

    private LauncherException failure(String zoneName, String why) {
        return new LauncherException("cannot look up the Availability Zone ID of " + zoneName + " in " + region + ": "
                + EcsTaskMetadata.oneLine(why) + "; the task role needs " + PERMISSION);
    }

    // ---- XML ----

    /** The parsed answer, or null when it is not XML. DTDs and external entities are refused. */
    private static Document xml(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setExpandEntityReferences(false);
            factory.setNamespaceAware(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler()); // silent: fatal errors throw, nothing on stderr
            return builder.parse(new ByteArrayInputStream(body));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            return null;
        }
    }

    private static String firstText(Element root, String tag) {
        NodeList nodes = root.getElementsByTagName(tag);
        if (nodes.getLength() == 0) {
            return null;
        }
        String text = nodes.item(0).getTextContent();
        return text == null || text.isBlank() ? null : text.trim();
    }

    private static String childText(Element parent, String tag) {
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child.getNodeType() == Node.ELEMENT_NODE && tag.equals(child.getNodeName())) {
                String text = child.getTextContent();
                return text == null || text.isBlank() ? null : text.trim();
            }
        }
        return null;
    }
}
