package io.connectaws.it.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * SSM Parameter Store over AWS JSON 1.1 ({@code X-Amz-Target: AmazonSSM.<Action>}): GetParameter (with {@code :version}
 * / {@code :label} selectors and ARNs), GetParametersByPath (paginated), PutParameter, DeleteParameter, LabelParameterVersion. State is
 * guarded by this object's monitor.
 */
final class SsmApi {
    static final String TARGET_PREFIX = "AmazonSSM.";
    static final String SIGNING_NAME = "ssm";
    private static final int MAX_RESULTS = 10;
    private static final int MAX_LABELS_PER_VERSION = 10;
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Version(long number, String type, String value, String ciphertext, Instant modified,
                           Set<String> labels) {
    }

    private static final class Parameter {
        final String name;
        final List<Version> versions = new ArrayList<>();

        Parameter(String name) {
            this.name = name;
        }

        Version latest() {
            return versions.get(versions.size() - 1);
        }
    }

    private final String region;
    private final Clock clock;
    private final Predicate<String> denied;
    private final Map<String, Parameter> byName = new TreeMap<>();

    SsmApi(String region, Clock clock, Predicate<String> denied) {
        this.region = region;
        this.clock = clock;
        this.denied = denied;
    }

    // ---- state, used by LocalAws's public methods and by the wire actions ----

    synchronized long put(String name, String value, String type, boolean overwrite) {
        validateName(name);
        if (value == null || value.isEmpty()) {
            throw ApiException.badRequest("ValidationException", "1 validation error detected: Value at 'value' "
                + "failed to satisfy constraint: Member must have length greater than or equal to 1");
        }
        Parameter parameter = byName.get(name);
        if (parameter != null && !overwrite) {
            throw ApiException.badRequest("ParameterAlreadyExists", "The parameter already exists. To overwrite this "
                + "value, set the overwrite option in the request to true.");
        }
        if (parameter == null) {
            parameter = new Parameter(name);
            byName.put(name, parameter);
        }
        String effectiveType = type != null ? type
            : parameter.versions.isEmpty() ? "String" : parameter.latest().type();
        if (!Set.of("String", "StringList", "SecureString").contains(effectiveType)) {
            throw ApiException.badRequest("ValidationException", "1 validation error detected: Value '"
                + effectiveType + "' at 'type' failed to satisfy constraint: Member must satisfy enum value set: "
                + "[SecureString, StringList, String]");
        }
        long number = parameter.versions.size() + 1L;
        String ciphertext = "SecureString".equals(effectiveType) ? ciphertext() : null;
        parameter.versions.add(new Version(number, effectiveType, value, ciphertext, clock.instant(),
            new LinkedHashSet<>()));
        return number;
    }

    /** Deletes the parameter with all its versions and labels; ParameterNotFound when there is none. */
    synchronized void delete(String name) {
        if (byName.remove(name) == null) {
            throw parameterNotFound(name);
        }
    }

    /** Attaches labels to a version (moving them from other versions); answers the labels that are not valid. */
    synchronized List<String> label(String name, Long version, List<String> labels) {
        Parameter parameter = byName.get(name);
        if (parameter == null) {
            throw parameterNotFound(name);
        }
        long number = version == null ? parameter.latest().number() : version;
        if (number < 1 || number > parameter.versions.size()) {
            throw versionNotFound(name, Long.toString(number));
        }
        Version target = parameter.versions.get((int) number - 1);
        List<String> invalid = new ArrayList<>();
        for (String label : labels) {
            String lower = label.toLowerCase(Locale.ROOT);
            if (!LABEL.matcher(label).matches() || Character.isDigit(label.charAt(0))
                || lower.startsWith("aws") || lower.startsWith("ssm")) {
                invalid.add(label);
                continue;
            }
            if (!target.labels().contains(label) && target.labels().size() >= MAX_LABELS_PER_VERSION) {
                throw ApiException.badRequest("ParameterVersionLabelLimitExceeded",
                    "A parameter version can have maximum 10 labels.");
            }
            parameter.versions.forEach(v -> v.labels().remove(label));
            target.labels().add(label);
        }
        return invalid;
    }

    // ---- wire actions ----

    synchronized ObjectNode handle(String action, JsonNode request, SigV4Verifier.Identity caller) {
        switch (action) {
            case "GetParameter":
                return getParameter(request, caller);
            case "GetParametersByPath":
                return getParametersByPath(request, caller);
            case "PutParameter":
                return putParameter(request, caller);
            case "DeleteParameter":
                return deleteParameter(request, caller);
            case "LabelParameterVersion":
                return labelParameterVersion(request, caller);
            default:
                throw LocalAws.unknownOperation();
        }
    }

    private ObjectNode getParameter(JsonNode request, SigV4Verifier.Identity caller) {
        String requested = SecretsManagerApi.text(request, "Name", true);
        boolean decrypt = request.path("WithDecryption").asBoolean(false);
        String nameAndSelector = requested;
        List<String> candidates = new ArrayList<>();
        if (requested.startsWith("arn:")) {
            String prefix = arnPrefix();
            if (!requested.startsWith(prefix)) {
                checkAccess(requested, "GetParameter", caller);
                throw parameterNotFound(requested);
            }
            nameAndSelector = requested.substring(prefix.length()); // "/a/b:3" for name "/a/b" or "/name" for "name"
        }
        int colon = requested.startsWith("arn:") ? nameAndSelector.lastIndexOf(':') : nameAndSelector.indexOf(':');
        String name = colon < 0 ? nameAndSelector : nameAndSelector.substring(0, colon);
        String selector = colon < 0 ? null : nameAndSelector.substring(colon + 1);
        candidates.add(name);
        if (requested.startsWith("arn:") && name.startsWith("/")) {
            candidates.add(name.substring(1));
        }
        Parameter parameter = candidates.stream().map(byName::get).filter(p -> p != null).findFirst().orElse(null);
        checkAccess(parameter == null ? name : parameter.name, "GetParameter", caller);
        if (parameter == null) {
            throw parameterNotFound(requested);
        }
        Version version;
        if (selector == null) {
            version = parameter.latest();
        } else if (!selector.isEmpty() && selector.chars().allMatch(Character::isDigit)) {
            long number = Long.parseLong(selector);
            if (number < 1 || number > parameter.versions.size()) {
                throw versionNotFound(parameter.name, selector);
            }
            version = parameter.versions.get((int) number - 1);
        } else {
            version = parameter.versions.stream().filter(v -> v.labels().contains(selector)).findFirst()
                .orElseThrow(() -> versionNotFound(parameter.name, selector));
        }
        ObjectNode out = LocalAws.JSON.createObjectNode();
        ObjectNode p = toJson(parameter, version, decrypt, out.putObject("Parameter"));
        if (selector != null) {
            p.put("Selector", ":" + selector);
        }
        return out;
    }

    private ObjectNode getParametersByPath(JsonNode request, SigV4Verifier.Identity caller) {
        String path = SecretsManagerApi.text(request, "Path", true);
        boolean recursive = request.path("Recursive").asBoolean(false);
        boolean decrypt = request.path("WithDecryption").asBoolean(false);
        int max = request.path("MaxResults").asInt(MAX_RESULTS);
        if (max < 1 || max > MAX_RESULTS) {
            throw ApiException.badRequest("ValidationException", "1 validation error detected: Value '" + max
                + "' at 'maxResults' failed to satisfy constraint: Member must have value "
                + (max < 1 ? "greater than or equal to 1" : "less than or equal to 10"));
        }
        if (!path.startsWith("/")) {
            throw ApiException.badRequest("ValidationException", "The parameter doesn't meet the parameter name "
                + "requirements. The parameter name must begin with a forward slash \"/\".");
        }
        checkAccess(path, "GetParametersByPath", caller);
        String after = null;
        String token = SecretsManagerApi.text(request, "NextToken", false);
        if (token != null) {
            try {
                after = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("InvalidNextToken", "The specified token isn't valid.");
            }
            if (!after.startsWith(path)) {
                throw ApiException.badRequest("InvalidNextToken", "The specified token isn't valid.");
            }
        }
        String prefix = path.endsWith("/") ? path : path + "/";
        ObjectNode out = LocalAws.JSON.createObjectNode();
        ArrayNode list = out.putArray("Parameters");
        String last = null;
        boolean more = false;
        for (Parameter parameter : byName.values()) { // sorted by name
            String name = parameter.name;
            if (!name.startsWith(prefix) || (!recursive && name.indexOf('/', prefix.length()) >= 0)
                || (after != null && name.compareTo(after) <= 0) || denied.test(name)) {
                continue;
            }
            if (list.size() == max) {
                more = true;
                break;
            }
            toJson(parameter, parameter.latest(), decrypt, list.addObject());
            last = name;
        }
        if (more) {
            out.put("NextToken", Base64.getUrlEncoder().withoutPadding()
                .encodeToString(last.getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private ObjectNode putParameter(JsonNode request, SigV4Verifier.Identity caller) {
        String name = SecretsManagerApi.text(request, "Name", true);
        checkAccess(name, "PutParameter", caller);
        long version = put(name, SecretsManagerApi.text(request, "Value", true),
            SecretsManagerApi.text(request, "Type", false), request.path("Overwrite").asBoolean(false));
        return LocalAws.JSON.createObjectNode().put("Version", version).put("Tier", "Standard");
    }

    /**
     * DeleteParameter: by name only (AWS takes no ARN and no {@code :version} selector here), answers an empty object;
     * ParameterNotFound when the name is not a parameter.
     */
    private ObjectNode deleteParameter(JsonNode request, SigV4Verifier.Identity caller) {
        String name = SecretsManagerApi.text(request, "Name", true);
        checkAccess(name, "DeleteParameter", caller);
        delete(name);
        return LocalAws.JSON.createObjectNode();
    }

    private ObjectNode labelParameterVersion(JsonNode request, SigV4Verifier.Identity caller) {
        String name = SecretsManagerApi.text(request, "Name", true);
        checkAccess(name, "LabelParameterVersion", caller);
        Long version = request.hasNonNull("ParameterVersion") ? request.get("ParameterVersion").asLong() : null;
        List<String> labels = new ArrayList<>();
        request.path("Labels").forEach(l -> labels.add(l.asText()));
        if (labels.isEmpty() || labels.size() > MAX_LABELS_PER_VERSION) {
            throw ApiException.badRequest("ValidationException", "1 validation error detected: Value at 'labels' "
                + "failed to satisfy constraint: Member must have length between 1 and 10");
        }
        List<String> invalid = label(name, version, labels);
        Parameter parameter = byName.get(name);
        long number = version == null ? parameter.latest().number() : version;
        ObjectNode out = LocalAws.JSON.createObjectNode();
        ArrayNode invalidOut = out.putArray("InvalidLabels");
        invalid.forEach(invalidOut::add);
        out.put("ParameterVersion", number);
        return out;
    }

    // ---- helpers ----

    private ObjectNode toJson(Parameter parameter, Version version, boolean decrypt, ObjectNode p) {
        boolean secure = "SecureString".equals(version.type());
        return p.put("Name", parameter.name)
            .put("Type", version.type())
            .put("Value", secure && !decrypt ? version.ciphertext() : version.value())
            .put("Version", version.number())
            .put("LastModifiedDate", SecretsManagerApi.epochSeconds(version.modified()))
            .put("ARN", arn(parameter.name))
            .put("DataType", "text");
    }

    String arn(String name) {
        return arnPrefix() + (name.startsWith("/") ? name : "/" + name);
    }

    private String arnPrefix() {
        return "arn:aws:ssm:" + region + ":" + LocalAws.ACCOUNT_ID + ":parameter";
    }

    private void checkAccess(String name, String action, SigV4Verifier.Identity caller) {
        if (denied.test(name)) {
            String resource = name.startsWith("arn:") ? name : arn(name);
            throw ApiException.badRequest("AccessDeniedException", "User: " + caller.arn()
                + " is not authorized to perform: ssm:" + action + " on resource: " + resource
                + " because no identity-based policy allows the ssm:" + action + " action");
        }
    }

    private static void validateName(String name) {
        String bare = name.startsWith("/") ? name.substring(1) : name;
        String lower = bare.toLowerCase(Locale.ROOT);
        if (name.isEmpty() || name.contains(":") || name.contains(" ")
            || (name.contains("/") && !name.startsWith("/"))) {
            throw ApiException.badRequest("ValidationException", "Parameter name: can't be prefixed with \"aws\" or "
                + "\"ssm\" (case-insensitive). It must use only letters, numbers, or the following symbols: . "
                + "(period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if "
                + "specified, must use the forward slash symbol \"/\". Valid example: /get/parameters2-/by1./path0_.");
        }
        if (lower.startsWith("aws") || lower.startsWith("ssm")) {
            throw ApiException.badRequest("AccessDeniedException", "No access to reserved parameter name: " + name
                + ".");
        }
    }

    private static ApiException parameterNotFound(String name) {
        return ApiException.badRequest("ParameterNotFound", "Parameter " + name + " not found.");
    }

    private static ApiException versionNotFound(String name, String selector) {
        return ApiException.badRequest("ParameterVersionNotFound", "Systems Manager could not find version "
            + selector + " of " + name + ". Verify the version and try again.");
    }

    /** Looks like a KMS ciphertext blob and carries nothing of the plaintext. */
    private static String ciphertext() {
        byte[] blob = new byte[150];
        RANDOM.nextBytes(blob);
        return "AQICAHh" + Base64.getEncoder().encodeToString(blob);
    }
}
