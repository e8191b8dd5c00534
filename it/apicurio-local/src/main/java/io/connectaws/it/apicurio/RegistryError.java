package io.connectaws.it.apicurio;

import java.util.List;

/**
 * An error the registry answers with its v2 {@code Error} body ({@code error_code}, {@code message}, {@code name}), or
 * a {@code RuleViolationError} when {@code causes} is not empty; {@code name} is the exception class name Apicurio
 * Registry 2.6 gives for the same condition, which its client maps back to an exception type.
 */
final class RegistryError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** One reason a rule refused a schema: where in the schema, and what. */
    record Cause(String description, String context) {
    }

    final int status;
    final String name;
    final List<Cause> causes;

    RegistryError(int status, String name, String message) {
        this(status, name, message, List.of());
    }

    RegistryError(int status, String name, String message, List<Cause> causes) {
        super(message);
        this.status = status;
        this.name = name;
        this.causes = List.copyOf(causes);
    }

    static RegistryError artifactNotFound(String group, String artifactId) {
        return new RegistryError(404, "ArtifactNotFoundException",
                "No artifact with ID '" + artifactId + "' in group '" + group + "' was found.");
    }

    static RegistryError badRequest(String message) {
        return new RegistryError(400, "BadRequestException", message);
    }
}
