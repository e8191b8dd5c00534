package io.connectaws.declarations;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a document into connectors, templates and tenant lists. A document (JSON, or YAML with one or more
 * {@code ---}-separated parts, or a JSON array of parts) holds parts of these shapes:
 * <ul>
 *   <li>a connector: {@code {name, config, state}} (the body of {@code POST /connectors}, Kafka's
 *       {@code initial_state} also accepted), or a bare config (the body of {@code PUT /connectors/NAME/config}),
 *       named by its {@code name} key or the document's own name;</li>
 *   <li>{@code {connectors: [connector, ...]}};</li>
 *   <li>a template: {@code {template: {id, name, state, config}, tenants: [...] or "tenants.csv"}};</li>
 *   <li>tenants of a template declared elsewhere: {@code {tenantsOf: ID, tenants: [...] or "file"}}.</li>
 * </ul>
 * Everything wrong is reported as a {@link Problem} naming the document, the part and the key; nothing throws.
 */
public final class DocumentParser {

    /** Two objects in one .json file are a mistake, not one object and some ignored text. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    /**
     * YAML as written: {@code on}/{@code off}/{@code yes}/{@code no} stay words (YAML 1.1 would make them booleans) and
     * {@code 1.50} stays {@code 1.50}.
     */
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(com.fasterxml.jackson.dataformat.yaml.YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .build();
    private static final CsvMapper CSV = new CsvMapper();
    private static final Set<String> CONNECTOR_KEYS = Set.of("name", "config", "state", "initial_state");
    private static final Set<String> TEMPLATE_KEYS = Set.of("id", "name", "config", "state", "initial_state");

    /** A template with the tenants listed beside it. */
    public record TemplateWithTenants(Template template, List<Tenant> tenants) {
    }

    /** Tenants listed for a template declared elsewhere. */
    public record TenantsFor(String templateId, List<Tenant> tenants, String document) {
    }

    /**
     * What a document declares.
     *
     * @param unreadable the document (or a file it names) could not be read or parsed as a whole: connectors it may
     *                   have declared are unknown, so nothing may be purged while it stays so
     */
    public record Parsed(List<Declaration> connectors, List<TemplateWithTenants> templates, List<TenantsFor> tenantsFor,
                         List<Problem> problems, boolean unreadable) {
    }

    private DocumentParser() {
    }

    /** Parses one document. */
    public static Parsed parse(Document doc) {
        List<Declaration> connectors = new ArrayList<>();
        List<TemplateWithTenants> templates = new ArrayList<>();
        List<TenantsFor> tenantsFor = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        List<JsonNode> parts;
        try {
            parts = parts(doc);
        } catch (IOException | RuntimeException e) {
            problems.add(new Problem(doc.id(), null, null, "not valid " + (doc.yaml() ? "YAML" : "JSON") + ": "
                    + location(e)));
            return new Parsed(connectors, templates, tenantsFor, problems, true);
        }
        boolean unreadable = false;
        int index = 0;
        for (JsonNode part : parts) {
            index++;
            String where = parts.size() > 1 ? doc.id() + " (part " + index + ")" : doc.id();
            if (part == null || part.isNull() || part.isMissingNode()) {
                continue; // an empty YAML part (a trailing ---)
            }
            if (!(part instanceof ObjectNode object)) {
                problems.add(new Problem(where, null, null, "expected an object (a connector, {connectors: [...]}, a "
                        + "template or tenantsOf), found " + part.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
                unreadable = true;
                continue;
            }
            if (object.size() == 1 && object.has("tenants")) {
                continue; // a tenant list: read when a template names it
            }
            if (object.has("template")) {
                unreadable |= template(doc, where, object, templates, problems);
            } else if (object.has("tenantsOf")) {
                unreadable |= tenantsOf(doc, where, object, tenantsFor, problems);
            } else if (object.has("connectors")) {
                unknownKeys(where, null, object, Set.of("connectors"), problems);
                JsonNode list = object.get("connectors");
                if (!list.isArray()) {
                    problems.add(new Problem(where, null, "connectors", "expected a list of connectors"));
                    unreadable = true;
                    continue;
                }
                int i = 0;
                for (JsonNode c : list) {
                    connector(doc, where + ", connectors[" + i++ + "]", c, false, connectors, problems);
                }
            } else {
                connector(doc, where, object, parts.size() == 1, connectors, problems);
            }
        }
        return new Parsed(connectors, templates, tenantsFor, problems, unreadable);
    }

    private static List<JsonNode> parts(Document doc) throws IOException {
        List<JsonNode> parts = new ArrayList<>();
        for (JsonNode root : roots(doc)) {
            if (root != null && root.isArray()) {
                root.forEach(parts::add);
            } else {
                parts.add(root);
            }
        }
        return parts;
    }

    /** The document's top-level values: one for JSON, one per {@code ---} part for YAML. */
    private static List<JsonNode> roots(Document doc) throws IOException {
        List<JsonNode> roots = new ArrayList<>();
        if (doc.yaml()) {
            try (com.fasterxml.jackson.core.JsonParser parser = YAML.getFactory().createParser(doc.text())) {
                while (parser.nextToken() != null) {
                    roots.add(YAML.readTree(parser));
                }
            }
        } else {
            roots.add(JSON.readTree(doc.text()));
        }
        return roots;
    }

    private static void connector(Document doc, String where, JsonNode node, boolean mayUseStem,
                                  List<Declaration> out, List<Problem> problems) {
        if (!(node instanceof ObjectNode object)) {
            problems.add(new Problem(where, null, null, "expected a connector object"));
            return;
        }
        boolean wrapped = object.has("config");
        JsonNode configNode = wrapped ? object.get("config") : object;
        String name = text(object.get("name"));
        int before = problems.size();
        if (wrapped) {
            unknownKeys(where, name, object, CONNECTOR_KEYS, problems);
        }
        if (name == null && !wrapped && mayUseStem) {
            name = doc.stem();
        }
        if (name == null || name.isBlank()) {
            problems.add(new Problem(where, null, "name", "a connector needs a name: add \"name\""
                    + (wrapped ? "" : " to the config")));
            return;
        }
        Map<String, String> config = config(where, name, configNode, problems);
        DesiredState state = state(where, name, wrapped ? object : null, problems);
        if (problems.size() == before) {
            check(where, name, config, problems);
        }
        if (problems.size() == before) {
            out.add(new Declaration(name, config, state, Origin.of(doc.id())));
        }
    }

    private static boolean template(Document doc, String where, ObjectNode object, List<TemplateWithTenants> out,
                                    List<Problem> problems) {
        int before = problems.size();
        unknownKeys(where, null, object, Set.of("template", "tenants"), problems);
        JsonNode t = object.get("template");
        if (!(t instanceof ObjectNode template)) {
            problems.add(new Problem(where, null, "template", "expected {id, name, config, state}"));
            return true;
        }
        unknownKeys(where, null, template, TEMPLATE_KEYS, problems);
        String id = text(template.get("id"));
        String name = text(template.get("name"));
        if (name == null || name.isBlank()) {
            problems.add(new Problem(where, null, "template.name", "a template needs a connector name with a placeholder, "
                    + "e.g. \"cdc-{{tenant}}\""));
        } else if (!Template.PLACEHOLDER.matcher(name).find()) {
            problems.add(new Problem(where, null, "template.name", "'" + name + "' has no {{placeholder}}: every tenant "
                    + "would get the same connector name; use e.g. \"cdc-{{tenant}}\""));
        }
        Map<String, String> config = config(where, null, template.get("config"), problems);
        DesiredState state = state(where, null, template, problems);
        if (problems.size() == before) {
            check(where, null, config, problems);
        }
        Optional<List<Tenant>> tenants = object.has("tenants") ? tenants(doc, where, object.get("tenants"), problems)
                : Optional.of(List.of());
        if (problems.size() != before) {
            return true; // the connectors it would declare are unknown
        }
        if (id == null && !object.has("tenants")) {
            problems.add(new Problem(where, null, "template.id", "a template without tenants needs an id that "
                    + "tenantsOf can name"));
            return true;
        }
        out.add(new TemplateWithTenants(new Template(id, name, config, state, doc.id()), tenants.orElse(List.of())));
        return tenants.isEmpty();
    }

    private static boolean tenantsOf(Document doc, String where, ObjectNode object, List<TenantsFor> out,
                                     List<Problem> problems) {
        unknownKeys(where, null, object, Set.of("tenantsOf", "tenants"), problems);
        String id = text(object.get("tenantsOf"));
        if (id == null || id.isBlank()) {
            problems.add(new Problem(where, null, "tenantsOf", "name the template's id"));
            return true;
        }
        if (!object.has("tenants")) {
            problems.add(new Problem(where, null, "tenants", "list the tenants of template '" + id + "'"));
            return true;
        }
        Optional<List<Tenant>> tenants = tenants(doc, where, object.get("tenants"), problems);
        tenants.ifPresent(list -> out.add(new TenantsFor(id, list, doc.id())));
        return tenants.isEmpty();
    }

    /** The tenants of a list or of a file named relative to the document; empty when the list itself is unreadable. */
    private static Optional<List<Tenant>> tenants(Document doc, String where, JsonNode node, List<Problem> problems) {
        if (node.isTextual()) {
            String file = node.asText();
            Optional<Document> sibling = doc.sibling().apply(file);
            if (sibling.isEmpty()) {
                problems.add(new Problem(where, null, "tenants", "cannot read tenant list '" + file + "': name a file "
                        + "beside this one in the declarations directory (no '..', no absolute path), or list the tenants "
                        + "inline"));
                return Optional.empty();
            }
            Document list = sibling.get();
            if (list.id().toLowerCase(java.util.Locale.ROOT).endsWith(".csv")) {
                return csvTenants(list, problems);
            }
            try {
                List<JsonNode> roots = roots(list);
                JsonNode root = roots.isEmpty() ? null : roots.get(0);
                if (root != null && root.isObject() && root.has("tenants")) {
                    root = root.get("tenants");
                }
                return tenantList(list.id(), root, problems);
            } catch (IOException | RuntimeException e) {
                problems.add(new Problem(list.id(), null, null, "not valid YAML/JSON: " + location(e)));
                return Optional.empty();
            }
        }
        return tenantList(where, node, problems);
    }

    private static Optional<List<Tenant>> tenantList(String where, JsonNode node, List<Problem> problems) {
        if (node == null || !node.isArray()) {
            problems.add(new Problem(where, null, "tenants", "expected a list of tenants ([{tenant: acme, host: ...}]) "
                    + "or the name of a CSV/YAML file"));
            return Optional.empty();
        }
        List<Tenant> tenants = new ArrayList<>();
        int i = 0;
        for (JsonNode t : node) {
            String at = where + ", tenants[" + i++ + "]";
            if (!(t instanceof ObjectNode object)) {
                problems.add(new Problem(at, null, null, "expected {tenant: ID, ...values}"));
                continue;
            }
            Map<String, String> values = new LinkedHashMap<>();
            boolean ok = true;
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                    problems.add(new Problem(at, null, e.getKey(), "a tenant value must be text, a number or a boolean"));
                    ok = false;
                } else {
                    values.put(e.getKey(), e.getValue().asText());
                }
            }
            if (ok) {
                tenant(at, values, problems).ifPresent(tenants::add);
            }
        }
        return Optional.of(tenants);
    }

    private static Optional<List<Tenant>> csvTenants(Document list, List<Problem> problems) {
        List<Tenant> tenants = new ArrayList<>();
        CsvSchema schema = CsvSchema.emptySchema().withHeader().withComments();
        try (MappingIterator<Map<String, String>> it = CSV.readerForMapOf(String.class).with(schema)
                .with(CsvParser.Feature.TRIM_SPACES).with(CsvParser.Feature.SKIP_EMPTY_LINES).readValues(list.text())) {
            while (it.hasNext()) {
                int line = it.getCurrentLocation().getLineNr();
                Map<String, String> row = it.next();
                tenant(list.id() + " line " + line, new LinkedHashMap<>(row), problems).ifPresent(tenants::add);
            }
        } catch (IOException | RuntimeException e) {
            problems.add(new Problem(list.id(), null, null, "not a valid CSV tenant list (a header row with a 'tenant' "
                    + "column, then one row per tenant): " + location(e)));
            return Optional.empty();
        }
        return Optional.of(tenants);
    }

    private static Optional<Tenant> tenant(String at, Map<String, String> values, List<Problem> problems) {
        String id = values.remove("tenant");
        if (id == null || id.isBlank()) {
            problems.add(new Problem(at, null, "tenant", "each tenant needs a 'tenant' id"));
            return Optional.empty();
        }
        if (!Template.TENANT_ID.matcher(id).matches()) {
            problems.add(new Problem(at, null, "tenant", "tenant id '" + id + "' may only hold letters, digits, '.', "
                    + "'_' and '-' (it becomes part of names and topics)"));
            return Optional.empty();
        }
        for (String key : values.keySet()) {
            if (!key.matches("[A-Za-z0-9_.-]+")) {
                problems.add(new Problem(at + " (tenant '" + id + "')", null, key, "a value name may only hold letters, "
                        + "digits, '.', '_' and '-'"));
                return Optional.empty();
            }
        }
        return Optional.of(new Tenant(id, values, at));
    }

    private static Map<String, String> config(String where, String name, JsonNode node, List<Problem> problems) {
        Map<String, String> config = new LinkedHashMap<>();
        if (!(node instanceof ObjectNode object)) {
            problems.add(new Problem(where, name, "config", "expected an object of config keys and values"));
            return config;
        }
        object.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            if (v.isNull() || !v.isValueNode()) {
                problems.add(new Problem(where, name, e.getKey(), "a config value must be text, a number or a boolean"
                        + (v.isArray() ? " (write a list as comma-separated text)" : "")));
            } else {
                config.put(e.getKey(), v.asText());
            }
        });
        return config;
    }

    private static DesiredState state(String where, String name, ObjectNode object, List<Problem> problems) {
        if (object == null) {
            return DesiredState.RUNNING;
        }
        if (object.has("state") && object.has("initial_state")) {
            problems.add(new Problem(where, name, "initial_state", "both state and initial_state are given: keep one"));
            return null;
        }
        String key = object.has("state") ? "state" : object.has("initial_state") ? "initial_state" : null;
        if (key == null) {
            return DesiredState.RUNNING;
        }
        DesiredState state = DesiredState.parse(text(object.get(key)));
        if (state == null) {
            problems.add(new Problem(where, name, key, "'" + object.get(key).asText() + "' is not a state: use running, "
                    + "paused or stopped"));
        }
        return state;
    }

    private static void check(String where, String name, Map<String, String> config, List<Problem> problems) {
        String cls = config.get("connector.class");
        if (cls == null || cls.isBlank()) {
            problems.add(new Problem(where, name, "connector.class", "missing: name the connector's class, e.g. "
                    + "io.debezium.connector.postgresql.PostgresConnector"));
        }
        if (config.containsKey(Declaration.MARKER)) {
            problems.add(new Problem(where, name, Declaration.MARKER, "reserved for the reconciler: remove it"));
        }
        String inner = config.get("name");
        if (name != null && inner != null && !inner.equals(name)) {
            problems.add(new Problem(where, name, "name", "the config's name '" + inner + "' differs from the "
                    + "connector's name '" + name + "': remove one"));
        }
        config.remove("name");
    }

    private static void unknownKeys(String where, String name, ObjectNode object, Set<String> allowed,
                                    List<Problem> problems) {
        object.fieldNames().forEachRemaining(k -> {
            if (!allowed.contains(k)) {
                problems.add(new Problem(where, name, k, "unknown key here: expected one of " + new java.util.TreeSet<>(allowed)));
            }
        });
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || !node.isValueNode() ? null : node.asText();
    }

    private static String location(Exception e) {
        Throwable t = e;
        while (!(t instanceof JsonProcessingException) && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        if (t instanceof JsonProcessingException j) {
            String msg = j.getOriginalMessage();
            var loc = j.getLocation();
            // the first line only (YAML errors quote the offending source line after it), quoted tokens masked: a
            // document should hold no secret, but one pasted by mistake must not reach the log through an error
            return (msg == null ? "" : msg.split("\n")[0].replaceAll("'[^']{4,}'", "'...'"))
                    + (loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr());
        }
        return String.valueOf(e.getMessage()).split("\n")[0];
    }
}
