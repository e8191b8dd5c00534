package io.connectaws.it.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stand-in driven by a second, independent client: the AWS CLI (botocore), which signs without
 * {@code x-amz-content-sha256} and, depending on its version, speaks CloudWatch as AWS JSON 1.0 (botocore 1.3x+ picks
 * {@code json} from the model's protocols) or Query (awscli 2.9 as packaged by Debian 12). Every operation the product
 * and the integration tests use, asserted on the CLI's parsed output, plus the errors the CLI names. Each CLI call starts
 * Python (about a second), so the class takes a minute or two.
 */
class AwsCliTest {
    private static final String REGION = "eu-west-1";

    private LocalAws aws;
    private AwsCli cli;

    @BeforeAll
    static void cliInstalled() {
        AwsCli.assumeInstalled();
    }

    @BeforeEach
    void start() {
        aws = LocalAws.start(0, REGION);
        cli = new AwsCli(aws);
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    /** A failed run: the CLI's "An error occurred (Code) when calling the Op operation: message". */
    private static void assertError(AwsCli.Run run, String code, String operation) {
        assertThat(run.exit()).as(run.err()).isNotZero();
        assertThat(run.err()).contains("An error occurred (" + code + ") when calling the " + operation
            + " operation");
    }

    @Test
    void secretsManager(@TempDir Path dir) throws Exception {
        JsonNode created = cli.run("secretsmanager", "create-secret", "--name", "app/db",
            "--secret-string", "{\"password\":\"p1\"}").json();
        String arn = created.path("ARN").asText();
        String v1 = created.path("VersionId").asText();
        assertThat(arn).startsWith("arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/db-");
        assertThat(created.path("Name").asText()).isEqualTo("app/db");

        JsonNode current = cli.run("secretsmanager", "get-secret-value", "--secret-id", "app/db").json();
        assertThat(current.path("SecretString").asText()).isEqualTo("{\"password\":\"p1\"}");
        assertThat(current.path("VersionId").asText()).isEqualTo(v1);
        assertThat(current.path("VersionStages").toString()).isEqualTo("[\"AWSCURRENT\"]");
        assertThat(current.path("ARN").asText()).isEqualTo(arn);

        String v2 = UUID.randomUUID().toString();
        JsonNode put = cli.run("secretsmanager", "put-secret-value", "--secret-id", "app/db",
            "--secret-string", "{\"password\":\"p2\"}", "--client-request-token", v2).json();
        assertThat(put.path("VersionId").asText()).isEqualTo(v2);
        assertThat(put.path("VersionStages").toString()).isEqualTo("[\"AWSCURRENT\"]");

        assertThat(cli.run("secretsmanager", "get-secret-value", "--secret-id", arn).json()
            .path("SecretString").asText()).isEqualTo("{\"password\":\"p2\"}");
        String partialArn = arn.substring(0, arn.length() - 7);
        assertThat(cli.run("secretsmanager", "get-secret-value", "--secret-id", partialArn).json()
            .path("VersionId").asText()).isEqualTo(v2);
        JsonNode previous = cli.run("secretsmanager", "get-secret-value", "--secret-id", "app/db",
            "--version-stage", "AWSPREVIOUS").json();
        assertThat(previous.path("SecretString").asText()).isEqualTo("{\"password\":\"p1\"}");
        assertThat(previous.path("VersionStages").toString()).isEqualTo("[\"AWSPREVIOUS\"]");
        assertThat(cli.run("secretsmanager", "get-secret-value", "--secret-id", "app/db", "--version-id", v1).json()
            .path("SecretString").asText()).isEqualTo("{\"password\":\"p1\"}");

        // a pending version, then promoted by moving the stage
        String v3 = UUID.randomUUID().toString();
        cli.run("secretsmanager", "put-secret-value", "--secret-id", "app/db", "--secret-string", "p3",
            "--client-request-token", v3, "--version-stages", "AWSPENDING").json();
        assertThat(cli.run("secretsmanager", "get-secret-value", "--secret-id", "app/db").json()
            .path("VersionId").asText()).isEqualTo(v2);
        assertThat(cli.run("secretsmanager", "update-secret-version-stage", "--secret-id", "app/db",
            "--version-stage", "AWSCURRENT", "--move-to-version-id", v3, "--remove-from-version-id", v2).json()
            .path("Name").asText()).isEqualTo("app/db");
        assertThat(cli.run("secretsmanager", "get-secret-value", "--secret-id", "app/db").json()
            .path("SecretString").asText()).isEqualTo("p3");

        byte[] binary = {0, 1, 2, (byte) 0xff, 'x'};
        Path file = Files.write(dir.resolve("secret.bin"), binary);
        cli.run("secretsmanager", "create-secret", "--name", "app/key", "--secret-binary", "fileb://" + file).json();
        assertThat(Base64.getDecoder().decode(cli.run("secretsmanager", "get-secret-value", "--secret-id",
            "app/key").json().path("SecretBinary").asText())).isEqualTo(binary);

        assertError(cli.run("secretsmanager", "get-secret-value", "--secret-id", "app/missing"),
            "ResourceNotFoundException", "GetSecretValue");
        assertError(cli.run("secretsmanager", "get-secret-value", "--secret-id", "app/db", "--version-stage",
            "NOPE"), "ResourceNotFoundException", "GetSecretValue");
        assertError(cli.run("secretsmanager", "create-secret", "--name", "app/db", "--secret-string", "x"),
            "ResourceExistsException", "CreateSecret");
        aws.denyAccess("app/db");
        assertError(cli.run("secretsmanager", "get-secret-value", "--secret-id", "app/db"),
            "AccessDeniedException", "GetSecretValue");
    }

    @Test
    void ssmParameterStore() {
        JsonNode first = cli.run("ssm", "put-parameter", "--name", "/app/db/host", "--value", "db1", "--type",
            "String").json();
        assertThat(first.path("Version").asLong()).isEqualTo(1);
        assertError(cli.run("ssm", "put-parameter", "--name", "/app/db/host", "--value", "db2", "--type", "String"),
            "ParameterAlreadyExists", "PutParameter");
        assertThat(cli.run("ssm", "put-parameter", "--name", "/app/db/host", "--value", "db2", "--overwrite").json()
            .path("Version").asLong()).isEqualTo(2);
        cli.run("ssm", "put-parameter", "--name", "/app/db/password", "--value", "pw", "--type", "SecureString")
            .json();

        JsonNode latest = cli.run("ssm", "get-parameter", "--name", "/app/db/host").json().path("Parameter");
        assertThat(latest.path("Value").asText()).isEqualTo("db2");
        assertThat(latest.path("Version").asLong()).isEqualTo(2);
        assertThat(latest.path("Type").asText()).isEqualTo("String");
        assertThat(latest.path("ARN").asText()).isEqualTo("arn:aws:ssm:eu-west-1:123456789012:parameter/app/db/host");
        assertThat(cli.run("ssm", "get-parameter", "--name", "/app/db/host:1").json()
            .path("Parameter").path("Value").asText()).isEqualTo("db1");
        assertThat(cli.run("ssm", "get-parameter", "--name", latest.path("ARN").asText()).json()
            .path("Parameter").path("Value").asText()).isEqualTo("db2");
        assertThat(cli.run("ssm", "label-parameter-version", "--name", "/app/db/host", "--parameter-version", "1",
            "--labels", "stable").json().path("ParameterVersion").asLong()).isEqualTo(1);
        assertThat(cli.run("ssm", "get-parameter", "--name", "/app/db/host:stable").json()
            .path("Parameter").path("Value").asText()).isEqualTo("db1");

        assertThat(cli.run("ssm", "get-parameter", "--name", "/app/db/password", "--with-decryption").json()
            .path("Parameter").path("Value").asText()).isEqualTo("pw");
        assertThat(cli.run("ssm", "get-parameter", "--name", "/app/db/password").json()
            .path("Parameter").path("Value").asText()).isNotEqualTo("pw").startsWith("AQICAHh");

        assertError(cli.run("ssm", "get-parameter", "--name", "/app/missing"), "ParameterNotFound", "GetParameter");
        assertError(cli.run("ssm", "get-parameter", "--name", "/app/db/host:9"), "ParameterVersionNotFound",
            "GetParameter");

        cli.run("ssm", "delete-parameter", "--name", "/app/db/host").json();
        assertError(cli.run("ssm", "get-parameter", "--name", "/app/db/host"), "ParameterNotFound", "GetParameter");
        assertError(cli.run("ssm", "delete-parameter", "--name", "/app/db/host"), "ParameterNotFound",
            "DeleteParameter");
    }

    @Test
    void ssmGetParametersByPathPaginates() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            String name = String.format("/connect/prod/tenants/t%02d", i);
            aws.putParameter(name, "{\"n\": " + i + "}", false);
            names.add(name);
        }
        aws.putParameter("/connect/prod/orders", "name: orders", false);
        aws.putParameter("/connect/prod/secret", "s3cret", true);
        aws.putParameter("/connect/other/x", "x", false);

        // the declarations' read: recursive, no decryption, every page (the CLI follows NextToken)
        JsonNode all = cli.run("ssm", "get-parameters-by-path", "--path", "/connect/prod", "--recursive",
            "--page-size", "7").json().path("Parameters");
        List<String> got = new ArrayList<>();
        all.forEach(p -> got.add(p.path("Name").asText()));
        assertThat(got).hasSize(25).containsAll(names).contains("/connect/prod/orders", "/connect/prod/secret")
            .doesNotContain("/connect/other/x");
        assertThat(aws.count("AmazonSSM.GetParametersByPath")).isEqualTo(4);
        all.forEach(p -> assertThat(p.path("Value").asText()).isEqualTo(switch (p.path("Name").asText()) {
            case "/connect/prod/orders" -> "name: orders";
            case "/connect/prod/secret" -> p.path("Value").asText(); // not decrypted: checked below
            default -> "{\"n\": " + Integer.parseInt(p.path("Name").asText().substring(23)) + "}";
        }));
        assertThat(all.findValuesAsText("Value")).doesNotContain("s3cret");

        // the config provider's read: one level, decrypted
        JsonNode flat = cli.run("ssm", "get-parameters-by-path", "--path", "/connect/prod", "--with-decryption")
            .json().path("Parameters");
        List<String> flatNames = new ArrayList<>();
        flat.forEach(p -> flatNames.add(p.path("Name").asText() + "=" + p.path("Value").asText()));
        assertThat(flatNames).containsExactly("/connect/prod/orders=name: orders", "/connect/prod/secret=s3cret");
    }

    @Test
    void stsCallerIdentityAndAssumeRole() {
        JsonNode me = cli.run("sts", "get-caller-identity").json();
        assertThat(me.path("Account").asText()).isEqualTo("123456789012");
        assertThat(me.path("Arn").asText()).isEqualTo("arn:aws:iam::123456789012:user/local-test");
        assertThat(me.path("UserId").asText()).isEqualTo(LocalAws.ACCESS_KEY_ID);

        String role = "arn:aws:iam::123456789012:role/connect-secrets";
        aws.requireExternalId(role, "tenant-7");
        assertError(cli.run("sts", "assume-role", "--role-arn", role, "--role-session-name", "cli"),
            "AccessDenied", "AssumeRole");
        JsonNode assumed = cli.run("sts", "assume-role", "--role-arn", role, "--role-session-name", "cli",
            "--external-id", "tenant-7", "--duration-seconds", "900").json();
        assertThat(assumed.path("AssumedRoleUser").path("Arn").asText())
            .isEqualTo("arn:aws:sts::123456789012:assumed-role/connect-secrets/cli");
        JsonNode credentials = assumed.path("Credentials");
        assertThat(credentials.path("AccessKeyId").asText()).startsWith("ASIA");
        assertThat(aws.assumeRoleCalls()).last().satisfies(c -> {
            assertThat(c.get("ExternalId")).isEqualTo("tenant-7");
            assertThat(c.get("DurationSeconds")).isEqualTo("900");
        });

        // the temporary credentials work, with their session token, for STS and Secrets Manager
        aws.createSecretString("tenant/7", "t7");
        cli.credentials(credentials.path("AccessKeyId").asText(), credentials.path("SecretAccessKey").asText(),
            credentials.path("SessionToken").asText());
        assertThat(cli.run("sts", "get-caller-identity").json().path("Arn").asText())
            .isEqualTo("arn:aws:sts::123456789012:assumed-role/connect-secrets/cli");
        assertThat(cli.run("secretsmanager", "get-secret-value", "--secret-id", "tenant/7").json()
            .path("SecretString").asText()).isEqualTo("t7");
        assertThat(aws.requests()).last().satisfies(r -> {
            assertThat(r.signatureValid()).isTrue();
            assertThat(r.sessionToken()).isEqualTo(credentials.path("SessionToken").asText());
        });

        // ...but not without the token
        cli.credentials(credentials.path("AccessKeyId").asText(), credentials.path("SecretAccessKey").asText(), null);
        assertError(cli.run("sts", "get-caller-identity"), "InvalidClientTokenId", "GetCallerIdentity");
        assertError(cli.run("secretsmanager", "get-secret-value", "--secret-id", "tenant/7"),
            "UnrecognizedClientException", "GetSecretValue");
    }

    /**
     * {@code aws eks get-token} signs locally (it never calls EKS): a presigned STS GetCallerIdentity URL with the
     * cluster name in the signed {@code x-k8s-aws-id} header, as {@code k8s-aws-v1.} + unpadded base64url. Its STS
     * client ignores --endpoint-url but honours AWS_ENDPOINT_URL_STS, so the URL points here; sent with the header it
     * answers the signer's identity, without it (or with another cluster's name) SignatureDoesNotMatch.
     */
    @Test
    void eksGetTokenIsAPresignedGetCallerIdentityThatStsAccepts() {
        String endpoint = "http://127.0.0.1:" + aws.port();
        cli.env("AWS_ENDPOINT_URL_STS", endpoint);
        JsonNode credential = cli.runWithoutEndpointUrl("eks", "get-token", "--cluster-name", "connect-prod").json();
        assertThat(credential.path("kind").asText()).isEqualTo("ExecCredential");
        String token = credential.path("status").path("token").asText();
        assertThat(token).startsWith("k8s-aws-v1.").doesNotContain("=").doesNotContain("+").doesNotContain("/");
        String url = new String(Base64.getUrlDecoder().decode(token.substring("k8s-aws-v1.".length())),
            StandardCharsets.UTF_8);
        System.out.println("AwsCliTest: eks get-token URL " + url.replaceFirst("X-Amz-Signature=\\w+",
            "X-Amz-Signature=…"));
        assertThat(url).startsWith(endpoint + "/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm="
            + "AWS4-HMAC-SHA256&X-Amz-Credential=" + LocalAws.ACCESS_KEY_ID + "%2F")
            .contains("%2F" + REGION + "%2Fsts%2Faws4_request&X-Amz-Date=", "&X-Amz-Expires=60&",
                "&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Signature=");

        PresignedGetCallerIdentityTest.Answer ok = PresignedGetCallerIdentityTest.get(url,
            Map.of("x-k8s-aws-id", "connect-prod"));
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(PresignedGetCallerIdentityTest.xml(ok.body(), "Arn"))
            .isEqualTo("arn:aws:iam::123456789012:user/local-test");
        assertThat(aws.requests()).last().satisfies(r -> {
            assertThat(r.action()).isEqualTo("sts.GetCallerIdentity");
            assertThat(r.signatureValid()).isTrue();
        });
        for (Map<String, String> headers : List.of(Map.<String, String>of(), Map.of("x-k8s-aws-id", "connect-dev"))) {
            PresignedGetCallerIdentityTest.Answer refused = PresignedGetCallerIdentityTest.get(url, headers);
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.code()).isEqualTo("SignatureDoesNotMatch");
        }

        // temporary credentials: the session token rides in the signed query; the answer is the assumed role's ARN
        JsonNode assumed = cli.run("sts", "assume-role", "--role-arn", "arn:aws:iam::123456789012:role/connect-admin",
            "--role-session-name", "alice").json().path("Credentials");
        cli.credentials(assumed.path("AccessKeyId").asText(), assumed.path("SecretAccessKey").asText(),
            assumed.path("SessionToken").asText());
        String sessionToken = cli.runWithoutEndpointUrl("eks", "get-token", "--cluster-name", "connect-prod").json()
            .path("status").path("token").asText();
        String sessionUrl = new String(Base64.getUrlDecoder().decode(sessionToken.substring(11)),
            StandardCharsets.UTF_8);
        assertThat(sessionUrl).contains("&X-Amz-Security-Token=");
        PresignedGetCallerIdentityTest.Answer role = PresignedGetCallerIdentityTest.get(sessionUrl,
            Map.of("x-k8s-aws-id", "connect-prod"));
        assertThat(role.status()).as(role.body()).isEqualTo(200);
        assertThat(PresignedGetCallerIdentityTest.xml(role.body(), "Arn"))
            .isEqualTo("arn:aws:sts::123456789012:assumed-role/connect-admin/alice");
    }

    @Test
    void ec2DescribeAvailabilityZones() {
        JsonNode one = cli.run("ec2", "describe-availability-zones", "--zone-names", "eu-west-1a").json()
            .path("AvailabilityZones");
        assertThat(one).hasSize(1);
        assertThat(one.get(0).path("ZoneName").asText()).isEqualTo("eu-west-1a");
        assertThat(one.get(0).path("ZoneId").asText()).isEqualTo("euw1-az3");
        assertThat(one.get(0).path("RegionName").asText()).isEqualTo(REGION);
        assertThat(one.get(0).path("State").asText()).isEqualTo("available");

        List<String> all = new ArrayList<>();
        cli.run("ec2", "describe-availability-zones").json().path("AvailabilityZones")
            .forEach(z -> all.add(z.path("ZoneName").asText() + "=" + z.path("ZoneId").asText()));
        assertThat(all).containsExactly("eu-west-1a=euw1-az3", "eu-west-1b=euw1-az1", "eu-west-1c=euw1-az2");
        assertThat(cli.run("ec2", "describe-availability-zones", "--zone-ids", "euw1-az1").json()
            .path("AvailabilityZones").get(0).path("ZoneName").asText()).isEqualTo("eu-west-1b");
        assertThat(cli.run("ec2", "describe-availability-zones", "--filters", "Name=zone-name,Values=eu-west-1c")
            .json().path("AvailabilityZones").get(0).path("ZoneId").asText()).isEqualTo("euw1-az2");

        assertError(cli.run("ec2", "describe-availability-zones", "--zone-names", "eu-west-1z"),
            "InvalidParameterValue", "DescribeAvailabilityZones");
        aws.denyAccess(Ec2Api.DESCRIBE_AVAILABILITY_ZONES);
        assertError(cli.run("ec2", "describe-availability-zones", "--zone-names", "eu-west-1a"),
            "UnauthorizedOperation", "DescribeAvailabilityZones");
    }

    @Test
    void cloudWatchPutMetricData() {
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        cli.run("cloudwatch", "put-metric-data", "--namespace", "ConnectAws/Worker", "--metric-data",
            "[{\"MetricName\":\"records-lag\",\"Dimensions\":[{\"Name\":\"connector\",\"Value\":\"orders\"}],"
                + "\"Value\":42.5,\"Unit\":\"Count\",\"Timestamp\":\"" + at + "\",\"StorageResolution\":60},"
                + "{\"MetricName\":\"latency\",\"StatisticValues\":{\"SampleCount\":3,\"Sum\":30,\"Minimum\":5,"
                + "\"Maximum\":15},\"Unit\":\"Milliseconds\"},"
                + "{\"MetricName\":\"sizes\",\"Values\":[1,2.5],\"Counts\":[3,4],\"Unit\":\"Bytes\"}]").json();
        assertThat(aws.metricData()).hasSize(3);
        CloudWatchDatum lag = aws.metricData().get(0);
        assertThat(lag.namespace()).isEqualTo("ConnectAws/Worker");
        assertThat(lag.metricName()).isEqualTo("records-lag");
        assertThat(lag.dimensions()).containsEntry("connector", "orders").hasSize(1);
        assertThat(lag.value()).isEqualTo(42.5);
        assertThat(lag.unit()).isEqualTo("Count");
        assertThat(lag.timestamp()).isEqualTo(at);
        assertThat(lag.storageResolution()).isEqualTo(60);
        CloudWatchDatum latency = aws.metricData().get(1);
        assertThat(latency.statisticValues()).isEqualTo(new CloudWatchDatum.StatisticSet(3, 30, 5, 15));
        CloudWatchDatum sizes = aws.metricData().get(2);
        assertThat(sizes.values()).containsExactly(1.0, 2.5);
        assertThat(sizes.counts()).containsExactly(3.0, 4.0);
        CloudWatchCall call = aws.putMetricDataCalls().get(0);
        System.out.println("AwsCliTest: " + AwsCli.version() + " sends CloudWatch as " + call.protocol());
        assertThat(call.protocol()).isIn("awsJson1_0", "awsQuery", "rpcv2Cbor");
        assertThat(call.status()).isEqualTo(200);

        // a big request: botocore gzips PutMetricData bodies from 10 KiB where it supports request compression
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 300; i++) {
            many.append(i == 0 ? "" : ",").append("{\"MetricName\":\"m").append(i)
                .append("\",\"Dimensions\":[{\"Name\":\"tenant\",\"Value\":\"tenant-").append(i)
                .append("\"}],\"Value\":").append(i).append('}');
        }
        aws.clearMetricData();
        cli.run("cloudwatch", "put-metric-data", "--namespace", "ConnectAws/Fleet", "--metric-data",
            many.append(']').toString()).json();
        assertThat(aws.metricData()).hasSize(300);
        assertThat(aws.metricData().get(299).dimensions()).containsEntry("tenant", "tenant-299");
        System.out.println("AwsCliTest: 300 datums, body " + aws.putMetricDataCalls().get(0).bodyBytes()
            + " bytes, compressed " + aws.putMetricDataCalls().get(0).compressed());

        aws.clearMetricData();
        assertError(cli.run("cloudwatch", "put-metric-data", "--namespace", "AWS/EC2", "--metric-name", "m",
            "--value", "1"), "InvalidParameterValue", "PutMetricData");
        assertError(cli.run("cloudwatch", "put-metric-data", "--namespace", "App", "--metric-data",
            "[{\"MetricName\":\"m\",\"Value\":1,\"StatisticValues\":{\"SampleCount\":1,\"Sum\":1,\"Minimum\":1,"
                + "\"Maximum\":1}}]"), "InvalidParameterCombination", "PutMetricData");
        assertThat(aws.metricData()).isEmpty();
    }

    @Test
    void signatureFailuresAsTheCliSeesThem() {
        aws.createSecretString("db/password", "s3cret");
        // signed for another region
        cli.region("us-east-1");
        assertError(cli.run("secretsmanager", "get-secret-value", "--secret-id", "db/password"),
            "InvalidSignatureException", "GetSecretValue");
        assertThat(cli.run("ssm", "get-parameter", "--name", "/x").err())
            .contains("(InvalidSignatureException)", "Credential should be scoped to a valid region.");
        assertError(cli.run("sts", "get-caller-identity"), "SignatureDoesNotMatch", "GetCallerIdentity");
        assertError(cli.run("ec2", "describe-availability-zones"), "SignatureDoesNotMatch",
            "DescribeAvailabilityZones");
        assertError(cli.run("cloudwatch", "put-metric-data", "--namespace", "App", "--metric-name", "m", "--value",
            "1"), "SignatureDoesNotMatch", "PutMetricData");
        cli.region(REGION);

        // the wrong secret key
        cli.credentials(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY.replace('0', '1'), null);
        AwsCli.Run wrongKey = cli.run("secretsmanager", "get-secret-value", "--secret-id", "db/password");
        assertError(wrongKey, "InvalidSignatureException", "GetSecretValue");
        assertThat(wrongKey.err()).contains("The request signature we calculated does not match");
        assertError(cli.run("sts", "get-caller-identity"), "SignatureDoesNotMatch", "GetCallerIdentity");
        assertError(cli.run("ec2", "describe-availability-zones"), "SignatureDoesNotMatch",
            "DescribeAvailabilityZones");
        assertError(cli.run("cloudwatch", "put-metric-data", "--namespace", "App", "--metric-name", "m", "--value",
            "1"), "SignatureDoesNotMatch", "PutMetricData");

        // an access key id the server does not know
        cli.credentials("AKIAUNKNOWNKEY000000", LocalAws.SECRET_ACCESS_KEY, null);
        assertError(cli.run("ssm", "get-parameter", "--name", "/x"), "UnrecognizedClientException", "GetParameter");
        assertError(cli.run("sts", "get-caller-identity"), "InvalidClientTokenId", "GetCallerIdentity");
        assertError(cli.run("ec2", "describe-availability-zones"), "AuthFailure", "DescribeAvailabilityZones");

        assertThat(aws.metricData()).isEmpty();
        assertThat(aws.requests()).isNotEmpty().noneMatch(LocalAws.RecordedRequest::signatureValid);
        assertThat(new String(Base64.getEncoder().encode("ok".getBytes(StandardCharsets.UTF_8)),
            StandardCharsets.UTF_8)).isEqualTo("b2s=");
    }
}
