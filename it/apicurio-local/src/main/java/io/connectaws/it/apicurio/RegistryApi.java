package io.connectaws.it.apicurio;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Apicurio Registry's v2 REST API ({@value #BASE}), the operations Apicurio's 2.6.13 serdes and converters call plus
 * the rules and version listing a test needs. {@link #ROUTES} lists each one with the query parameters and headers it
 * reads, which {@code OpenApiConformanceTest} holds to the registry's published openapi.json.
 */
final class RegistryApi {

    static final String BASE = "/apis/registry/v2";
    static final ObjectMapper JSON = new ObjectMapper();
    /** The v2 beans' date format (apicurio-common-rest-client's ObjectMapper parses it). */
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ")
            .withZone(ZoneOffset.UTC);
    private static final String AVRO = "AVRO";

    /** A served operation: method, path template under {@value #BASE}, and the parameters it reads. */
    record Route(String method, String template, List<String> query, List<String> headers, Handler handler) {
        Pattern pattern() {
            String t = template.endsWith("/") ? template.substring(0, template.length() - 1) : template;
            return Pattern.compile(Pattern.quote(BASE) + t.replaceAll("\\{[^/]+}", "([^/]+)") + "/?");
        }
    }

    /** What a route does with the request's path parameters. */
    @FunctionalInterface
    interface Handler {
        Reply handle(Request request, List<String> path) throws IOException;
    }

    /** What the server needs of a request. */
    interface Request {
        String query(String name);

        String header(String name);

        String body() throws IOException;
    }

    /** A reply: status, content type and body (null for none). */
    record Reply(int status, String contentType, String body, Map<String, String> headers) {
        static Reply json(int status, JsonNode body) {
            return new Reply(status, "application/json", body.toString(), Map.of());
        }

        static Reply content(Registry.Version v, Registry.Content c) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("X-Registry-ArtifactType", AVRO);
            if (v != null) {
                headers.put("X-Registry-GlobalId", Long.toString(v.globalId()));
                headers.put("X-Registry-Version", v.version());
            }
            headers.put("X-Registry-ContentId", Long.toString(c.id()));
            return new Reply(200, "application/json", c.text(), headers);
        }

        static Reply noContent() {
            return new Reply(204, null, null, Map.of());
        }
    }

    final List<Route> routes;
    private final Registry registry;

    RegistryApi(Registry registry) {
        this.registry = registry;
        this.routes = routes();
    }

    /** The routes, for the conformance test (handlers bound to a throw-away registry). */
    static final List<Route> ROUTES = new RegistryApi(new Registry()).routes;

    private List<Route> routes() {
        List<Route> r = new ArrayList<>();
        r.add(new Route("GET", "/system/info", List.of(), List.of(), (q, p) -> Reply.json(200, JSON.createObjectNode()
                .put("name", "Apicurio Registry (connect-aws test stand-in)")
                .put("description", "In-memory subset of the v2 API for Avro").put("version", "2.6.13.Final"))));
        r.add(new Route("GET", "/admin/rules", List.of(), List.of(), (q, p) -> {
            ArrayNode types = JSON.createArrayNode();
            registry.globalRules().keySet().forEach(types::add);
            return Reply.json(200, types);
        }));
        r.add(new Route("POST", "/admin/rules", List.of(), List.of(), (q, p) -> {
            JsonNode rule = JSON.readTree(q.body());
            registry.setGlobalRule(rule.path("type").asText(null), rule.path("config").asText(null));
            return Reply.noContent();
        }));
        r.add(new Route("POST", "/groups/{groupId}/artifacts", List.of("ifExists", "canonical"),
                List.of("X-Registry-ArtifactId", "X-Registry-ArtifactType", "X-Registry-Version"), (q, p) -> {
                    String artifactId = q.header("X-Registry-ArtifactId");
                    if (artifactId == null || artifactId.isBlank()) {
                        throw RegistryError.badRequest("X-Registry-ArtifactId is required by this stand-in (the "
                                + "registry would generate one)");
                    }
                    Registry.Version v = registry.create(p.get(0), artifactId, q.header("X-Registry-ArtifactType"),
                            content(q), q.query("ifExists"), Boolean.parseBoolean(q.query("canonical")));
                    return Reply.json(200, artifactMetaData(v));
                }));
        r.add(new Route("GET", "/groups/{groupId}/artifacts/{artifactId}", List.of("dereference"), List.of(),
                (q, p) -> contentOf(registry.latest(p.get(0), p.get(1)))));
        r.add(new Route("GET", "/groups/{groupId}/artifacts/{artifactId}/meta", List.of(), List.of(),
                (q, p) -> Reply.json(200, artifactMetaData(registry.latest(p.get(0), p.get(1))))));
        r.add(new Route("POST", "/groups/{groupId}/artifacts/{artifactId}/meta", List.of("canonical"), List.of(),
                (q, p) -> Reply.json(200, versionMetaData(registry.byContent(p.get(0), p.get(1), content(q),
                        Boolean.parseBoolean(q.query("canonical")))))));
        r.add(new Route("GET", "/groups/{groupId}/artifacts/{artifactId}/versions", List.of("offset", "limit"),
                List.of(), (q, p) -> {
                    ObjectNode result = JSON.createObjectNode();
                    ArrayNode versions = result.putArray("versions");
                    registry.versions(p.get(0), p.get(1)).forEach(v -> versions.add(versionMetaData(v)));
                    result.put("count", versions.size());
                    return Reply.json(200, result);
                }));
        r.add(new Route("POST", "/groups/{groupId}/artifacts/{artifactId}/versions", List.of(), List.of(),
                (q, p) -> Reply.json(200, versionMetaData(registry.update(p.get(0), p.get(1), content(q))))));
        r.add(new Route("GET", "/groups/{groupId}/artifacts/{artifactId}/versions/{version}", List.of("dereference"),
                List.of(), (q, p) -> contentOf(registry.version(p.get(0), p.get(1), p.get(2)))));
        r.add(new Route("GET", "/groups/{groupId}/artifacts/{artifactId}/versions/{version}/meta", List.of(), List.of(),
                (q, p) -> Reply.json(200, versionMetaData(registry.version(p.get(0), p.get(1), p.get(2))))));
        r.add(new Route("GET", "/groups/{groupId}/artifacts/{artifactId}/rules", List.of(), List.of(), (q, p) -> {
            ArrayNode types = JSON.createArrayNode();
            registry.artifactRules(p.get(0), p.get(1)).keySet().forEach(types::add);
            return Reply.json(200, types);
        }));
        r.add(new Route("POST", "/groups/{groupId}/artifacts/{artifactId}/rules", List.of(), List.of(), (q, p) -> {
            JsonNode rule = JSON.readTree(q.body());
            registry.setArtifactRule(p.get(0), p.get(1), rule.path("type").asText(null), rule.path("config").asText(null));
            return Reply.noContent();
        }));
        r.add(new Route("GET", "/ids/globalIds/{globalId}", List.of("dereference"), List.of(),
                (q, p) -> contentOf(registry.byGlobalId(number(p.get(0), "globalId")))));
        r.add(new Route("GET", "/ids/globalIds/{globalId}/references", List.of("refType"), List.of(), (q, p) -> {
            registry.byGlobalId(number(p.get(0), "globalId"));
            return Reply.json(200, JSON.createArrayNode());
        }));
        r.add(new Route("GET", "/ids/contentIds/{contentId}/", List.of(), List.of(),
                (q, p) -> Reply.content(null, registry.content(number(p.get(0), "contentId")))));
        r.add(new Route("GET", "/ids/contentIds/{contentId}/references", List.of(), List.of(), (q, p) -> {
            registry.content(number(p.get(0), "contentId"));
            return Reply.json(200, JSON.createArrayNode());
        }));
        r.add(new Route("GET", "/ids/contentHashes/{contentHash}/", List.of(), List.of(),
                (q, p) -> Reply.content(null, registry.contentByHash(p.get(0)))));
        r.add(new Route("GET", "/ids/contentHashes/{contentHash}/references", List.of(), List.of(), (q, p) -> {
            registry.contentByHash(p.get(0));
            return Reply.json(200, JSON.createArrayNode());
        }));
        return List.copyOf(r);
    }

    /** Answers one request to a path under {@value #BASE}; null when no route serves it. */
    Reply dispatch(String method, String rawPath, Request request) throws IOException {
        for (Route route : routes) {
            Matcher m = route.pattern().matcher(rawPath);
            if (route.method().equals(method) && m.matches()) {
                List<String> params = new ArrayList<>();
                for (int i = 1; i <= m.groupCount(); i++) {
                    params.add(URLDecoder.decode(m.group(i), StandardCharsets.UTF_8));
                }
                try {
                    return route.handler().handle(request, params);
                } catch (RegistryError e) {
                    return error(e);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    return error(RegistryError.badRequest("The request body is not valid JSON: "
                            + e.getOriginalMessage()));
                }
            }
        }
        return null;
    }

    static Reply error(RegistryError e) {
        ObjectNode body = JSON.createObjectNode().put("error_code", e.status).put("message", e.getMessage())
                .put("name", e.name);
        if (!e.causes.isEmpty()) {
            ArrayNode causes = body.putArray("causes");
            e.causes.forEach(c -> causes.addObject().put("description", c.description()).put("context", c.context()));
        }
        return Reply.json(e.status, body);
    }

    private Reply contentOf(Registry.Version v) {
        return Reply.content(v, registry.content(v.contentId()));
    }

    /**
     * The schema text of a create or lookup request: the raw body, or the {@code content} of the extended JSON
     * form the client sends with references (this stand-in serves schemas without references).
     */
    private static String content(Request q) throws IOException {
        String type = q.header("Content-Type");
        String body = q.body();
        if (type != null && type.contains("extended+json")) {
            JsonNode extended = JSON.readTree(body);
            if (extended.path("references").size() > 0) {
                throw RegistryError.badRequest("Artifact references are not served by this stand-in");
            }
            return extended.path("content").asText();
        }
        return body;
    }

    private static long number(String value, String name) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw RegistryError.badRequest(name + " must be a number, not '" + value + "'");
        }
    }

    private ObjectNode artifactMetaData(Registry.Version v) {
        ObjectNode n = versionMetaData(v);
        n.put("createdOn", DATE.format(registry.createdOn(v.groupId(), v.artifactId())));
        n.put("modifiedBy", "");
        n.put("modifiedOn", DATE.format(v.createdOn()));
        n.putArray("references");
        return n;
    }

    private static ObjectNode versionMetaData(Registry.Version v) {
        ObjectNode n = JSON.createObjectNode();
        n.put("groupId", v.groupId()).put("id", v.artifactId()).put("version", v.version()).put("type", AVRO)
                .put("globalId", v.globalId()).put("contentId", v.contentId()).put("state", "ENABLED")
                .put("createdBy", "").put("createdOn", DATE.format(v.createdOn()));
        n.putArray("labels");
        n.putObject("properties");
        return n;
    }
}
