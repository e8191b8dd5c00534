package io.connectaws.config;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The ECS API requests CloudFormation makes for the template's TaskDefinition and Service: the resolved properties
 * with the API's member names ({@code ContainerDefinitions} is {@code containerDefinitions}; map keys such as the
 * log options stay as written), ready for {@code aws ecs register-task-definition / create-service --cli-input-json}.
 */
final class EcsApiDocuments {
    /** Where CloudFormation's property name is not the API member's name with a lower-case first letter. */
    private static final Map<String, String> RENAMED = Map.of("PlacementStrategies", "placementStrategy");
    /**
     * API members of integer type that the template feeds from Number parameters (CloudFormation passes those as
     * strings and converts them by the resource's schema). EcsCliValidationTest checks no other member is fed so.
     */
    static final Set<String> INTEGER_FROM_PARAMETER = Set.of("stopTimeout", "desiredCount", "healthCheckGracePeriodSeconds");

    private EcsApiDocuments() {
    }

    static JsonNode taskDefinition(CfnTemplate deployed) {
        return api(deployed.properties("TaskDefinition"), true);
    }

    static JsonNode service(CfnTemplate deployed) {
        return api(deployed.properties("Service"), true);
    }

    private static JsonNode api(JsonNode cfn, boolean structure) {
        if (cfn.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            cfn.forEach(e -> out.add(api(e, structure)));
            return out;
        }
        if (!cfn.isObject()) {
            return cfn;
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = cfn.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            boolean member = structure && Character.isUpperCase(key.charAt(0));
            String name = !member ? key : RENAMED.getOrDefault(key, Character.toLowerCase(key.charAt(0)) + key.substring(1));
            JsonNode value = api(e.getValue(), !name.equals("options")); // options: a map of log driver settings
            if (INTEGER_FROM_PARAMETER.contains(name) && value.isTextual()) {
                value = IntNode.valueOf(Integer.parseInt(value.asText()));
            }
            out.set(name, value);
        }
        return out;
    }
}
