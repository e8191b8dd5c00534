package io.connectaws.declarations;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.SsmClientBuilder;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathRequest;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * Declarations in SSM Parameter Store: every parameter under a path (recursively) is one document, JSON or YAML, read
 * with the task role ({@code ssm:GetParametersByPath} on the path). Adding a tenant is one {@code put-parameter}, no
 * redeploy. SecureString parameters are refused: a declaration holds references to secrets, never secrets.
 *
 * <p>Parameter Store rather than S3: it is already what the image reads secrets-adjacent settings from (one IAM
 * action, one VPC endpoint the task usually has), values are versioned and audited per parameter, and one parameter per
 * tenant keeps a tenant's change to one write. The 4 KB (8 KB advanced) value limit fits a connector or a tenant;
 * large tenant lists belong in the image's directory or in many parameters.
 */
public final class SsmSource implements DeclarationSource {
    private final String path;
    private final Optional<String> region;
    private final Optional<URI> endpoint;
    private SsmClient ssm;

    /** @param endpoint an endpoint override (a VPC endpoint, or a test stand-in); region empty for the SDK's chain */
    public SsmSource(String path, Optional<String> region, Optional<URI> endpoint) {
        this.path = path;
        this.region = region;
        this.endpoint = endpoint;
    }

    /** The client, made at the first read: a missing region is then a reported problem, not a failed worker start. */
    private synchronized SsmClient client() {
        if (ssm == null) {
            SsmClientBuilder builder = SsmClient.builder()
                    .credentialsProvider(DefaultCredentialsProvider.builder().build())
                    .httpClientBuilder(Apache5HttpClient.builder());
            region.map(Region::of).ifPresent(builder::region);
            endpoint.ifPresent(builder::endpointOverride);
            ssm = builder.build();
        }
        return ssm;
    }

    @Override
    public Read read() {
        List<Document> documents = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        boolean complete = true;
        try {
            for (Parameter p : client().getParametersByPathPaginator(GetParametersByPathRequest.builder()
                    .path(path).recursive(true).withDecryption(false).build()).stream().flatMap(r -> r.parameters().stream())
                    .toList()) {
                String id = "ssm:" + p.name();
                if (p.type() == ParameterType.SECURE_STRING) {
                    problems.add(new Problem(id, null, null, "is a SecureString: a declaration holds no secret; store "
                            + "it as String and reference secrets (${secretsmanager:...}) in it"));
                    complete = false;
                    continue;
                }
                String value = p.value() == null ? "" : p.value();
                String trimmed = value.stripLeading();
                boolean json = trimmed.startsWith("{") || trimmed.startsWith("[");
                String stem = p.name().substring(p.name().lastIndexOf('/') + 1);
                documents.add(Document.standalone(id, stem, value, !json));
            }
        } catch (SdkException e) {
            problems.add(new Problem("ssm:" + path, null, null, "cannot list the parameters: " + firstLine(e.getMessage())
                    + (e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException
                    ? " (the task role needs ssm:GetParametersByPath on this path)"
                    : " (set AWS_REGION or declarations.ssm.region, and check the endpoint)")));
            return new Read(List.of(), problems, false);
        }
        return new Read(documents, problems, complete);
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.split("\n")[0];
    }

    @Override
    public String describe() {
        return "SSM Parameter Store path " + path;
    }

    @Override
    public synchronized void close() {
        if (ssm != null) {
            ssm.close();
        }
    }
}
