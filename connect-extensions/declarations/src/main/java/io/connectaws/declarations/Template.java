package io.connectaws.declarations;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * A connector with {@code {{placeholders}}} in its name and config values, expanded once per tenant. Placeholders name
 * a tenant's values; {@code {{tenant}}} is the tenant's id and {@code {{serverId}}} a number derived from it (stable,
 * for MySQL/MariaDB's {@code database.server.id}, derived from the template's id, or its name pattern when it has none).
 * Tenant values are plain text: a value may not hold a config
 * provider reference ({@code ${...}}) or a placeholder, so a tenant list can never point a connector at another
 * tenant's secret; references belong in the template ({@code ${secretsmanager:tenants/{{tenant}}:password}}).
 *
 * @param id the template's id (what {@code tenantsOf} names), or null when its tenants are all listed with it
 */
public record Template(String id, String name, Map<String, String> config, DesiredState state, String document) {

    static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.-]+)\\s*}}");
    /** What a tenant id may look like: it ends up in connector names, topic prefixes and secret names. */
    static final Pattern TENANT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");

    /** The connector for one tenant, or the problems that stop it (naming tenant and key). */
    Expansion expand(Tenant tenant) {
        Origin origin = new Origin(document, tenant.id(), tenant.listedIn());
        Map<String, String> values = new LinkedHashMap<>(tenant.values());
        values.put("tenant", tenant.id());
        values.putIfAbsent("serverId", Long.toString(serverId(id == null ? name : id, tenant.id())));
        List<Problem> problems = new ArrayList<>();
        String connectorName = fill(name, values, origin, null, "name", problems);
        tenant.values().forEach((k, v) -> {
            if (v.contains("${")) {
                problems.add(new Problem(origin.toString(), connectorName, k, "a tenant value may not hold a config "
                        + "provider reference (${...}): put the reference in the template, e.g. "
                        + "${secretsmanager:tenants/{{tenant}}:password}"));
            } else if (PLACEHOLDER.matcher(v).find()) {
                problems.add(new Problem(origin.toString(), connectorName, k, "a tenant value may not hold a {{placeholder}}"));
            } else if (v.chars().anyMatch(c -> c < 0x20)) {
                problems.add(new Problem(origin.toString(), connectorName, k, "a tenant value may not hold control "
                        + "characters or line breaks"));
            }
        });
        Map<String, String> filled = new LinkedHashMap<>();
        config.forEach((k, v) -> filled.put(k, fill(v, values, origin, connectorName, k, problems)));
        if (!problems.isEmpty()) {
            return new Expansion(null, problems, connectorName);
        }
        return new Expansion(new Declaration(connectorName, filled, state, origin), List.of(), connectorName);
    }

    /** A tenant's connector, or why there is none; {@code name} is known whenever the name itself expanded. */
    record Expansion(Declaration declaration, List<Problem> problems, String name) {
    }

    private static String fill(String text, Map<String, String> values, Origin origin, String connector, String key,
                               List<Problem> problems) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        boolean missing = false;
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                problems.add(new Problem(origin.toString(), connector, key, "no value for {{" + m.group(1) + "}}: add a '"
                        + m.group(1) + "' value (or column) to this tenant, or remove the placeholder from the template"));
                missing = true;
                value = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return missing ? null : out.toString();
    }

    /** A number in [1000, 4,294,967,295) derived from the template and tenant ids. */
    static long serverId(String template, String tenant) {
        CRC32 crc = new CRC32();
        crc.update((template + "\u0000" + tenant).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return 1000 + crc.getValue() % (4_294_967_295L - 1000);
    }
}
