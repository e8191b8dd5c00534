package io.connectaws.it.aws;

import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaParseException;

/**
 * AWS Glue Schema Registry's compatibility modes for AVRO, decided with Avro's own reader/writer rules
 * ({@link SchemaCompatibility}). As Glue documents them: BACKWARD, the new version can read data written with the
 * last one; FORWARD, the last one can read data written with the new one; FULL, both; the {@code _ALL} forms check
 * against every earlier available version; NONE, no check; DISABLED, no new version at all.
 */
enum GlueCompatibility {
    NONE, DISABLED, BACKWARD, BACKWARD_ALL, FORWARD, FORWARD_ALL, FULL, FULL_ALL;

    /** The mode named {@code value}, or {@code InvalidInputException} naming the allowed values. */
    static GlueCompatibility parse(String value) {
        try {
            return valueOf(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("InvalidInputException", "1 validation error detected: Value '" + value
                + "' at 'compatibility' failed to satisfy constraint: Member must satisfy enum value set: "
                + List.of(values()));
        }
    }

    /** Parses an AVRO definition, or {@code InvalidInputException} with Avro's reason. */
    static Schema parseAvro(String definition) {
        try {
            return new Schema.Parser().setValidateDefaults(true).parse(definition);
        } catch (SchemaParseException | NullPointerException e) {
            throw ApiException.badRequest("InvalidInputException", "Schema definition of AVRO data format is "
                + "invalid: " + e.getMessage());
        }
    }

    /**
     * Why {@code candidate} may not follow {@code earlier} (oldest first, only AVAILABLE versions) in this mode, or
     * null when it may. DISABLED is refused before a version is made, so it is not decided here.
     */
    String incompatibility(Schema candidate, List<Schema> earlier) {
        if (this == NONE || this == DISABLED || earlier.isEmpty()) {
            return null;
        }
        List<Schema> against = name().endsWith("_ALL") ? earlier : List.of(earlier.get(earlier.size() - 1));
        boolean backward = this != FORWARD && this != FORWARD_ALL;
        boolean forward = this != BACKWARD && this != BACKWARD_ALL;
        for (Schema old : against) {
            if (backward) {
                String why = check(candidate, old);
                if (why != null) {
                    return "the new version cannot read data written with an earlier one: " + why;
                }
            }
            if (forward) {
                String why = check(old, candidate);
                if (why != null) {
                    return "an earlier version cannot read data written with the new one: " + why;
                }
            }
        }
        return null;
    }

    private static String check(Schema reader, Schema writer) {
        SchemaCompatibility.SchemaPairCompatibility result =
            SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return null;
        }
        return result.getResult().getIncompatibilities().stream()
            .map(i -> i.getType().name().toLowerCase(Locale.ROOT) + " at " + i.getLocation()
                + (i.getMessage() == null || i.getMessage().isEmpty() ? "" : " (" + i.getMessage() + ")"))
            .reduce((a, b) -> a + "; " + b).orElse(result.getDescription());
    }
}
