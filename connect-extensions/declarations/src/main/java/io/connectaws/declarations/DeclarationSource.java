package io.connectaws.declarations;

import java.util.List;

/** Where declarations are read from: a directory or an SSM Parameter Store path. */
public interface DeclarationSource extends AutoCloseable {

    /**
     * What one read gave.
     *
     * @param complete false when the source could not be listed whole: nothing may be purged then
     */
    record Read(List<Document> documents, List<Problem> problems, boolean complete) {
    }

    /** Lists and reads every document; never throws for a source that is unreachable, it says so instead. */
    Read read();

    /** One line for the log and the status reply, e.g. {@code directory /opt/connect/connectors}. */
    String describe();

    @Override
    default void close() {
    }
}
