package io.connectaws.it.apicurio;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;

/**
 * Apicurio Registry's two content rules for Avro artifacts. VALIDITY: the content parses as an Avro schema.
 * COMPATIBILITY: Avro's own reader/writer rules ({@link SchemaCompatibility}, what the registry's Avro checker uses),
 * with the registry's levels: BACKWARD (the new schema reads data written with the latest), FORWARD (the latest
 * reads data written with the new one), FULL (both), their _TRANSITIVE forms against every version, and NONE.
 */
final class AvroRules {

    /** The compatibility levels Apicurio Registry 2.6 accepts as a COMPATIBILITY rule's config. */
    static final List<String> LEVELS = List.of("BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE",
            "FULL", "FULL_TRANSITIVE", "NONE");
    /** VALIDITY rule configs. */
    static final List<String> VALIDITY_LEVELS = List.of("FULL", "SYNTAX_ONLY", "NONE");

    private AvroRules() {
    }

    /** The schema {@code content} holds; a 409 rule violation naming the parse error when it holds none. */
    static Schema parse(String content) {
        try {
            return new Schema.Parser().parse(content);
        } catch (RuntimeException e) {
            throw new RegistryError(409, "RuleViolationException", "Syntax violation for Avro artifact.",
                    List.of(new RegistryError.Cause(e.getMessage(), "")));
        }
    }

    /** Avro's parsing canonical form, what {@code canonical=true} compares. */
    static String canonical(String content) {
        return SchemaNormalization.toParsingForm(parse(content));
    }

    /**
     * Checks {@code proposed} against the existing versions (oldest first) at {@code level}.
     *
     * @throws RegistryError 409 RuleViolationException with one cause per incompatibility
     */
    static void checkCompatibility(String level, List<String> existing, String proposed) {
        String l = level.toUpperCase(Locale.ROOT);
        if (l.equals("NONE") || existing.isEmpty()) {
            return;
        }
        List<String> against = l.endsWith("_TRANSITIVE") ? existing : List.of(existing.get(existing.size() - 1));
        Schema next = parse(proposed);
        List<RegistryError.Cause> causes = new ArrayList<>();
        for (String previous : against) {
            Schema old = parse(previous);
            if (l.startsWith("BACKWARD") || l.startsWith("FULL")) {
                causes.addAll(incompatibilities(next, old));
            }
            if (l.startsWith("FORWARD") || l.startsWith("FULL")) {
                causes.addAll(incompatibilities(old, next));
            }
        }
        if (!causes.isEmpty()) {
            throw new RegistryError(409, "RuleViolationException",
                    "Incompatible artifact: the new version is not " + l + " compatible: "
                            + String.join("; ", causes.stream().map(c -> c.description() + " at " + c.context()).toList()),
                    causes);
        }
    }

    private static List<RegistryError.Cause> incompatibilities(Schema reader, Schema writer) {
        List<RegistryError.Cause> causes = new ArrayList<>();
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult().getIncompatibilities()
                .forEach(i -> causes.add(new RegistryError.Cause(i.getType() + ": " + i.getMessage(), i.getLocation())));
        return causes;
    }
}
