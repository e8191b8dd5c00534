package io.connectaws.declarations;

import java.util.Optional;
import java.util.function.Function;

/**
 * One text read from a source: a file or an SSM parameter.
 *
 * @param id where it came from ({@code file:...}, {@code ssm:...}), used in every message about it
 * @param stem the last part of its name without extension: the connector name of a bare config without {@code name}
 * @param text the content
 * @param yaml whether to read it as YAML (else JSON)
 * @param sibling reads a tenant list named by a relative path next to this document, or says why it cannot
 */
public record Document(String id, String stem, String text, boolean yaml, Function<String, Optional<Document>> sibling) {

    /** A document with no siblings (a remote source). */
    public static Document standalone(String id, String stem, String text, boolean yaml) {
        return new Document(id, stem, text, yaml, relative -> Optional.empty());
    }
}
