package io.connectaws.it.mskiam;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An identity-based IAM policy document, evaluated as IAM evaluates one: a request is allowed when some {@code Allow}
 * statement matches its action and resource and no {@code Deny} statement does (an explicit deny wins), and denied by
 * default. Statements take {@code Sid}, {@code Effect}, {@code Action} and {@code Resource} (a string or an array,
 * with {@code *} and {@code ?} wildcards); {@code NotAction}, {@code NotResource}, {@code Condition} and
 * {@code Principal} are refused rather than ignored, so a policy is never judged more generously than IAM would.
 */
final class IamPolicy {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KEYS = Set.of("Sid", "Effect", "Action", "Resource");

    /** The outcome for one action on one resource; {@code statement} is the deciding statement's Sid, or null. */
    record Decision(Outcome outcome, String statement) {
        boolean allowed() {
            return outcome == Outcome.ALLOWED;
        }
    }

    /** IAM's three evaluation outcomes. */
    enum Outcome { ALLOWED, EXPLICIT_DENY, IMPLICIT_DENY }

    private record Statement(String sid, boolean allow, List<IamPattern> actions, List<IamPattern> resources) {
        boolean matches(String action, String resource) {
            return actions.stream().anyMatch(a -> a.matches(action))
                && resources.stream().anyMatch(r -> r.matches(resource));
        }
    }

    private final List<Statement> statements;

    private IamPolicy(List<Statement> statements) {
        this.statements = statements;
    }

    /** Parses a policy document; an {@link IllegalArgumentException} names what is wrong or unsupported. */
    static IamPolicy parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the IAM policy is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the IAM policy is not a JSON object");
        }
        JsonNode all = root.path("Statement");
        List<JsonNode> nodes = new ArrayList<>();
        if (all.isArray()) {
            all.forEach(nodes::add);
        } else if (all.isObject()) {
            nodes.add(all);
        } else {
            throw new IllegalArgumentException("the IAM policy has no Statement");
        }
        List<Statement> statements = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            statements.add(statement(nodes.get(i), i));
        }
        return new IamPolicy(List.copyOf(statements));
    }

    private static Statement statement(JsonNode node, int index) {
        String sid = node.path("Sid").asText("#" + index);
        node.fieldNames().forEachRemaining(key -> {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("statement " + sid + ": " + key
                    + " is not supported by this test authorizer (only " + KEYS + ")");
            }
        });
        String effect = node.path("Effect").asText("");
        if (!effect.equals("Allow") && !effect.equals("Deny")) {
            throw new IllegalArgumentException("statement " + sid + ": Effect must be Allow or Deny, not '" + effect
                + "'");
        }
        return new Statement(sid, effect.equals("Allow"),
            strings(node, "Action", sid).stream().map(IamPattern::action).toList(),
            strings(node, "Resource", sid).stream().map(IamPattern::resource).toList());
    }

    private static List<String> strings(JsonNode statement, String key, String sid) {
        JsonNode node = statement.path(key);
        List<String> out = new ArrayList<>();
        if (node.isTextual()) {
            out.add(node.asText());
        } else if (node.isArray()) {
            node.forEach(n -> {
                if (!n.isTextual()) {
                    throw new IllegalArgumentException("statement " + sid + ": " + key + " holds a non-string " + n);
                }
                out.add(n.asText());
            });
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("statement " + sid + " has no " + key);
        }
        return out;
    }

    /** Whether this policy allows {@code action} (e.g. {@code kafka-cluster:WriteData}) on {@code resourceArn}. */
    Decision evaluate(String action, String resourceArn) {
        Statement allowing = null;
        for (Statement s : statements) {
            if (s.matches(action, resourceArn)) {
                if (!s.allow()) {
                    return new Decision(Outcome.EXPLICIT_DENY, s.sid());
                }
                if (allowing == null) {
                    allowing = s;
                }
            }
        }
        return allowing == null ? new Decision(Outcome.IMPLICIT_DENY, null)
            : new Decision(Outcome.ALLOWED, allowing.sid());
    }
}
