package io.connectaws.sourcedb;

import java.sql.SQLException;
import java.util.List;

/** The pre-flight checks of one kind of source database. Reads only; never changes the database. */
public interface SourceCheck {

    /** Whether this check knows {@code connectorClass}. */
    boolean handles(String connectorClass);

    /** What the database lacks for {@code candidate}; empty when it is ready. */
    List<Finding> check(Candidate candidate, Connections connections) throws SQLException;
}
