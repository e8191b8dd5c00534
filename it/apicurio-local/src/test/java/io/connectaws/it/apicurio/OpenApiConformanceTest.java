package io.connectaws.it.apicurio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Holds the stand-in to the registry's published API description: the openapi.json that Apicurio ships in
 * apicurio-registry-common 2.6.13.Final. Every route it serves must be an operation there, every query parameter and
 * header it reads a parameter of that operation, and it must read every parameter the operation requires.
 */
class OpenApiConformanceTest {

    private static JsonNode openApi;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = io.apicurio.registry.rest.v2.beans.ArtifactMetaData.class.getClassLoader()
                .getResourceAsStream("META-INF/openapi.json")) {
            assertThat(in).as("openapi.json in apicurio-registry-common").isNotNull();
            openApi = RegistryApi.JSON.readTree(in);
        }
        assertThat(openApi.path("info").path("title").asText()).isEqualTo("Apicurio Registry API [v2]");
    }

    @Test
    void everyServedOperationAndParameterIsInThePublishedApi() {
        List<String> problems = new ArrayList<>();
        for (RegistryApi.Route route : RegistryApi.ROUTES) {
            JsonNode path = openApi.path("paths").path(route.template());
            JsonNode operation = path.path(route.method().toLowerCase(Locale.ROOT));
            if (operation.isMissingNode()) {
                problems.add(route.method() + " " + route.template() + " is not an operation of the v2 API");
                continue;
            }
            Set<String> query = new TreeSet<>();
            Set<String> headers = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
            Set<String> required = new TreeSet<>();
            List<JsonNode> parameters = new ArrayList<>();
            path.path("parameters").forEach(parameters::add);
            operation.path("parameters").forEach(parameters::add);
            for (JsonNode p : parameters) {
                JsonNode parameter = resolve(p);
                String in = parameter.path("in").asText();
                String name = parameter.path("name").asText();
                switch (in) {
                    case "query" -> query.add(name);
                    case "header" -> headers.add(name);
                    default -> { }
                }
                if (parameter.path("required").asBoolean() && !in.equals("path")) {
                    required.add(in + " " + name);
                }
            }
            route.query().stream().filter(q -> !query.contains(q)).forEach(q -> problems.add(route.method() + " "
                    + route.template() + " reads query parameter " + q + ", which the API does not define"));
            route.headers().stream().filter(h -> !headers.contains(h)).forEach(h -> problems.add(route.method() + " "
                    + route.template() + " reads header " + h + ", which the API does not define"));
            for (String r : required) {
                String name = r.substring(r.indexOf(' ') + 1);
                if (!route.query().contains(name) && !route.headers().contains(name)) {
                    problems.add(route.method() + " " + route.template() + " ignores required parameter " + r);
                }
            }
            for (String placeholder : placeholders(route.template())) {
                boolean declared = parameters.stream().map(OpenApiConformanceTest::resolve).anyMatch(
                        p -> p.path("in").asText().equals("path") && p.path("name").asText().equals(placeholder));
                if (!declared) {
                    problems.add(route.template() + ": path parameter " + placeholder + " is not declared");
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(RegistryApi.ROUTES).hasSizeGreaterThanOrEqualTo(19);
    }

    private static List<String> placeholders(String template) {
        List<String> names = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static JsonNode resolve(JsonNode parameter) {
        String ref = parameter.path("$ref").asText(null);
        if (ref == null) {
            return parameter;
        }
        JsonNode node = openApi;
        for (String part : ref.substring(2).split("/")) {
            node = node.path(part);
        }
        return node;
    }
}
