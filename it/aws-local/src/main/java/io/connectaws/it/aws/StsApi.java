package io.connectaws.it.aws;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * STS over the AWS Query protocol (form-encoded POST, or GET with the parameters in the query string; XML answers):
 * AssumeRole, which issues temporary credentials that the server then accepts, and GetCallerIdentity, also as the
 * presigned GET URL that aws eks get-token and aws-iam-authenticator make (query-string SigV4, see
 * {@link SigV4Verifier#verifyPresigned}).
 */
final class StsApi {
    static final String SIGNING_NAME = "sts";
    static final String VERSION = "2011-06-15";
    static final String XMLNS = "https://sts.amazonaws.com/doc/2011-06-15/";
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws:iam::(\\d{12}):role/(?:.*/)?([\\w+=,.@-]{1,64})");
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");

    private final SigV4Verifier verifier;
    private final Clock clock;
    private final List<Map<String, String>> calls = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> requiredExternalIds = new ConcurrentHashMap<>();

    StsApi(SigV4Verifier verifier, Clock clock) {
        this.verifier = verifier;
        this.clock = clock;
    }

    void requireExternalId(String roleArn, String externalId) {
        requiredExternalIds.put(roleArn, externalId);
    }

    List<Map<String, String>> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** Answers the action's XML document, or throws the error to answer. */
    String handle(String action, Map<String, String> form, SigV4Verifier.Identity caller) {
        switch (action) {
            case "AssumeRole":
                return assumeRole(form, caller);
            case "GetCallerIdentity":
                return getCallerIdentity(caller);
            default:
                throw ApiException.badRequest("InvalidAction",
                    "Could not find operation " + action + " for version 2011-06-15");
        }
    }

    private String assumeRole(Map<String, String> form, SigV4Verifier.Identity caller) {
        String roleArn = form.get("RoleArn");
        String sessionName = form.get("RoleSessionName");
        String externalId = form.get("ExternalId");
        Map<String, String> call = new LinkedHashMap<>();
        call.put("RoleArn", roleArn);
        call.put("RoleSessionName", sessionName);
        call.put("ExternalId", externalId);
        call.put("DurationSeconds", form.get("DurationSeconds"));
        call.put("CallerAccessKeyId", caller.accessKeyId());
        calls.add(Collections.unmodifiableMap(call));

        if (roleArn == null || sessionName == null) {
            throw ApiException.badRequest("ValidationError", "1 validation error detected: Value null at '"
                + (roleArn == null ? "roleArn" : "roleSessionName") + "' failed to satisfy constraint: Member must "
                + "not be null");
        }
        Matcher role = ROLE_ARN.matcher(roleArn);
        if (!role.matches()) {
            throw ApiException.badRequest("ValidationError", roleArn + " is invalid");
        }
        if (!SESSION_NAME.matcher(sessionName).matches()) {
            throw ApiException.badRequest("ValidationError", "1 validation error detected: Value '" + sessionName
                + "' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression "
                + "pattern: [\\w+=,.@-]*");
        }
        int duration = 3600;
        if (form.get("DurationSeconds") != null) {
            try {
                duration = Integer.parseInt(form.get("DurationSeconds"));
            } catch (NumberFormatException e) {
                duration = -1;
            }
            if (duration < 900 || duration > 43200) {
                throw ApiException.badRequest("ValidationError", "1 validation error detected: Value '"
                    + form.get("DurationSeconds") + "' at 'durationSeconds' failed to satisfy constraint: Member must "
                    + "have value between 900 and 43200");
            }
        }
        String required = requiredExternalIds.get(roleArn);
        if (required != null && !required.equals(externalId)) {
            throw new ApiException(403, "AccessDenied", "User: " + caller.arn() + " is not authorized to perform: "
                + "sts:AssumeRole on resource: " + roleArn);
        }
        String assumedArn = "arn:aws:sts::" + role.group(1) + ":assumed-role/" + role.group(2) + "/" + sessionName;
        SigV4Verifier.Identity issued = ContainerCredentials.issue(verifier, clock, assumedArn,
            Duration.ofSeconds(duration));
        String roleId = "AROA" + ContainerCredentials.randomAlnum(17);
        return "<AssumeRoleResponse xmlns=\"" + XMLNS + "\">\n"
            + "  <AssumeRoleResult>\n"
            + "    <AssumedRoleUser>\n"
            + "      <AssumedRoleId>" + xml(roleId + ":" + sessionName) + "</AssumedRoleId>\n"
            + "      <Arn>" + xml(assumedArn) + "</Arn>\n"
            + "    </AssumedRoleUser>\n"
            + "    <Credentials>\n"
            + "      <AccessKeyId>" + issued.accessKeyId() + "</AccessKeyId>\n"
            + "      <SecretAccessKey>" + xml(issued.secretAccessKey()) + "</SecretAccessKey>\n"
            + "      <SessionToken>" + xml(issued.sessionToken()) + "</SessionToken>\n"
            + "      <Expiration>" + issued.expiration() + "</Expiration>\n"
            + "    </Credentials>\n"
            + "  </AssumeRoleResult>\n"
            + "  <ResponseMetadata><RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata>\n"
            + "</AssumeRoleResponse>\n";
    }

    private static String getCallerIdentity(SigV4Verifier.Identity caller) {
        return "<GetCallerIdentityResponse xmlns=\"" + XMLNS + "\">\n"
            + "  <GetCallerIdentityResult>\n"
            + "    <Arn>" + xml(caller.arn()) + "</Arn>\n"
            + "    <UserId>" + xml(caller.accessKeyId()) + "</UserId>\n"
            + "    <Account>" + LocalAws.ACCOUNT_ID + "</Account>\n"
            + "  </GetCallerIdentityResult>\n"
            + "  <ResponseMetadata><RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata>\n"
            + "</GetCallerIdentityResponse>\n";
    }

    /** The Query protocol's error document. */
    static String errorXml(ApiException e) {
        return "<ErrorResponse xmlns=\"" + XMLNS + "\">\n"
            + "  <Error>\n"
            + "    <Type>" + (e.status >= 500 ? "Receiver" : "Sender") + "</Type>\n"
            + "    <Code>" + xml(e.code) + "</Code>\n"
            + "    <Message>" + xml(e.getMessage()) + "</Message>\n"
            + "  </Error>\n"
            + "  <RequestId>" + UUID.randomUUID() + "</RequestId>\n"
            + "</ErrorResponse>\n";
    }

    static String xml(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
            .replace("'", "&apos;");
    }
}
