package io.connectaws.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * A CloudFormation template read as CloudFormation would deploy it with given parameter values: {@code Ref},
 * {@code Fn::Sub}, {@code Fn::GetAtt}, {@code Fn::If}, {@code Fn::Join}, {@code Fn::Select}, conditions and
 * {@code AWS::NoValue} are resolved; a resource's {@code Ref} and attributes get plausible values of their type
 * (an ARN, a {@code sg-} id, a DNS name). An intrinsic it does not know, or a Ref to nothing, is an error.
 */
final class CfnTemplate {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ACCOUNT = "123456789012";
    private static final Pattern SUB = Pattern.compile("\\$\\{([^}!][^}]*)}");

    private final JsonNode template;
    private final Map<String, String> parameters = new HashMap<>();
    private final Map<String, Boolean> conditions = new HashMap<>();

    private CfnTemplate(JsonNode template, Map<String, String> values, String region) {
        this.template = template;
        template.path("Parameters").fields().forEachRemaining(p -> {
            JsonNode d = p.getValue().get("Default");
            if (d != null) {
                parameters.put(p.getKey(), d.asText());
            }
        });
        parameters.put("AWS::Region", region);
        parameters.put("AWS::AccountId", ACCOUNT);
        parameters.put("AWS::Partition", "aws");
        parameters.put("AWS::StackName", "connect-stack");
        parameters.put("AWS::URLSuffix", "amazonaws.com");
        parameters.putAll(values); // a test may set a pseudo parameter too (AWS::Region=REGION)
        template.path("Parameters").fieldNames().forEachRemaining(name -> {
            if (!parameters.containsKey(name)) {
                throw new IllegalArgumentException("parameter " + name + " has no default: give it a value");
            }
        });
    }

    /** The template at {@code file}, deployed in eu-west-1 with {@code values} over the parameters' defaults. */
    static CfnTemplate load(Path file, Map<String, String> values) throws IOException {
        return new CfnTemplate(JSON.readTree(file.toFile()), values, "eu-west-1");
    }

    /** The same template with {@code values} over the defaults. */
    static CfnTemplate of(JsonNode template, Map<String, String> values) {
        return new CfnTemplate(template, values, "eu-west-1");
    }

    JsonNode raw() {
        return template;
    }

    /** True when the resource exists with these parameters (no Condition, or a true one). */
    boolean exists(String logicalId) {
        JsonNode r = template.path("Resources").path(logicalId);
        return !r.isMissingNode() && (!r.has("Condition") || condition(r.get("Condition").asText()));
    }

    /** The resolved Properties of a resource. */
    JsonNode properties(String logicalId) {
        if (!exists(logicalId)) {
            throw new IllegalArgumentException(logicalId + " is not created with these parameters");
        }
        return resolve(template.at("/Resources/" + logicalId + "/Properties"));
    }

    boolean condition(String name) {
        Boolean known = conditions.get(name);
        if (known != null) {
            return known;
        }
        JsonNode c = template.path("Conditions").get(name);
        if (c == null) {
            throw new IllegalArgumentException("no condition " + name);
        }
        boolean value = evaluate(c);
        conditions.put(name, value);
        return value;
    }

    /** Evaluates a condition expression, such as a rule's assertion. */
    boolean evaluate(JsonNode c) {
        String fn = c.fieldNames().next();
        JsonNode args = c.get(fn);
        return switch (fn) {
            case "Fn::Equals" -> resolve(args.get(0)).asText().equals(resolve(args.get(1)).asText());
            case "Fn::Not" -> !evaluate(args.get(0));
            case "Fn::And" -> { boolean all = true; for (JsonNode a : args) { all &= evaluate(a); } yield all; }
            case "Fn::Or" -> { boolean any = false; for (JsonNode a : args) { any |= evaluate(a); } yield any; }
            case "Condition" -> condition(args.asText());
            case "Fn::Contains" -> {
                boolean found = false;
                for (JsonNode v : resolve(args.get(0))) { found |= v.asText().equals(resolve(args.get(1)).asText()); }
                yield found;
            }
            default -> throw new IllegalArgumentException("unknown condition function " + fn);
        };
    }

    /** {@code node} with every intrinsic function resolved; null for {@code AWS::NoValue}. */
    JsonNode resolve(JsonNode node) {
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(e -> {
                JsonNode r = resolve(e);
                if (r != null) {
                    out.add(r);
                }
            });
            return out;
        }
        if (!node.isObject()) {
            return node;
        }
        if (node.size() == 1) {
            String fn = node.fieldNames().next();
            JsonNode args = node.get(fn);
            switch (fn) {
                case "Ref":
                    return ref(args.asText());
                case "Fn::GetAtt":
                    return new TextNode(attribute(args.get(0).asText(), args.get(1).asText()));
                case "Fn::Sub":
                    return new TextNode(substitute(args));
                case "Fn::If":
                    return resolve(condition(args.get(0).asText()) ? args.get(1) : args.get(2));
                case "Fn::Join": {
                    StringBuilder s = new StringBuilder();
                    for (JsonNode e : resolve(args.get(1))) {
                        s.append(s.isEmpty() ? "" : args.get(0).asText()).append(e.asText());
                    }
                    return new TextNode(s.toString());
                }
                case "Fn::Select":
                    return resolve(args.get(1)).get(args.get(0).asInt());
                default:
                    if (fn.startsWith("Fn::")) {
                        throw new IllegalArgumentException("intrinsic " + fn + " is not resolved by this reader");
                    }
            }
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode r = resolve(e.getValue());
            if (r != null) {
                out.set(e.getKey(), r);
            }
        }
        return out;
    }

    private JsonNode ref(String name) {
        if (name.equals("AWS::NoValue")) {
            return null;
        }
        String p = parameters.get(name);
        if (p != null) {
            JsonNode declared = template.at("/Parameters/" + name + "/Type");
            if (declared.asText().startsWith("List<") || declared.asText().equals("CommaDelimitedList")) {
                ArrayNode list = JsonNodeFactory.instance.arrayNode();
                for (String v : p.split(",")) {
                    list.add(v.trim());
                }
                return list;
            }
            return new TextNode(p);
        }
        JsonNode resource = template.path("Resources").get(name);
        if (resource == null) {
            throw new IllegalArgumentException("Ref " + name + ": no such parameter or resource");
        }
        if (!exists(name)) {
            throw new IllegalArgumentException("Ref " + name + ": the resource is not created with these parameters");
        }
        for (String named : new String[] {"ClusterName", "LogGroupName", "DashboardName", "ServiceName"}) {
            if (resource.at("/Properties").has(named) && !resource.path("Type").asText().equals("AWS::ECS::Service")) {
                return new TextNode(resolve(resource.at("/Properties/" + named)).asText()); // a named resource's Ref is its name
            }
        }
        return new TextNode(physicalId(name, resource.path("Type").asText()));
    }

    private String substitute(JsonNode args) {
        String text = args.isArray() ? args.get(0).asText() : args.asText();
        Map<String, String> local = new HashMap<>();
        if (args.isArray()) {
            args.get(1).fields().forEachRemaining(e -> local.put(e.getKey(), resolve(e.getValue()).asText()));
        }
        Matcher m = SUB.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value;
            if (local.containsKey(name)) {
                value = local.get(name);
            } else if (name.contains(".")) {
                value = attribute(name.substring(0, name.indexOf('.')), name.substring(name.indexOf('.') + 1));
            } else {
                value = ref(name).asText();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString().replace("${!", "${");
    }

    /** What {@code Ref} of a resource of this type returns, made up but shaped as AWS returns it. */
    private String physicalId(String logicalId, String type) {
        String region = parameters.get("AWS::Region");
        return switch (type) {
            case "AWS::ECS::Cluster", "AWS::Logs::LogGroup", "AWS::IAM::Role", "AWS::CloudWatch::Dashboard",
                 "AWS::CloudWatch::Alarm" -> "connect-stack-" + logicalId;
            case "AWS::ECS::TaskDefinition" -> "arn:aws:ecs:" + region + ":" + ACCOUNT + ":task-definition/" + logicalId + ":1";
            case "AWS::ECS::Service" -> "arn:aws:ecs:" + region + ":" + ACCOUNT + ":service/cluster/" + logicalId;
            case "AWS::EC2::SecurityGroup" -> "sg-0a1b2c3d4e5f60718";
            case "AWS::ElasticLoadBalancingV2::LoadBalancer" -> "arn:aws:elasticloadbalancing:" + region + ":" + ACCOUNT
                    + ":loadbalancer/app/" + logicalId + "/50dc6c495c0c9188";
            case "AWS::ElasticLoadBalancingV2::TargetGroup" -> "arn:aws:elasticloadbalancing:" + region + ":" + ACCOUNT
                    + ":targetgroup/" + logicalId + "/6d0ecf831eec9f09";
            case "AWS::ElasticLoadBalancingV2::Listener" -> "arn:aws:elasticloadbalancing:" + region + ":" + ACCOUNT
                    + ":listener/app/lb/50dc6c495c0c9188/f2f7dc8efc522ab2";
            default -> "https://cloudformation-waitcondition-" + region + ".s3.amazonaws.com/" + logicalId;
        };
    }

    private String attribute(String logicalId, String attribute) {
        JsonNode resource = template.path("Resources").get(logicalId);
        if (resource == null || !exists(logicalId)) {
            throw new IllegalArgumentException("GetAtt " + logicalId + "." + attribute + ": no such resource with these parameters");
        }
        String type = resource.path("Type").asText();
        return switch (type + "." + attribute) {
            case "AWS::IAM::Role.Arn" -> "arn:aws:iam::" + ACCOUNT + ":role/connect-stack-" + logicalId;
            case "AWS::EC2::SecurityGroup.GroupId" -> physicalId(logicalId, type);
            case "AWS::ECS::Service.Name" -> resolve(resource.at("/Properties/ServiceName")).asText();
            case "AWS::ElasticLoadBalancingV2::LoadBalancer.DNSName" -> "internal-connect-123456789.eu-west-1.elb.amazonaws.com";
            case "AWS::Logs::LogGroup.Arn" -> "arn:aws:logs:" + parameters.get("AWS::Region") + ":" + ACCOUNT + ":log-group:"
                    + physicalId(logicalId, type) + ":*";
            default -> throw new IllegalArgumentException("GetAtt " + logicalId + "." + attribute + " is not known to this reader");
        };
    }
}
