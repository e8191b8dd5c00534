package io.connectaws.sourcedb;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens a JDBC connection with the driver a connector's plugin carries: the worker gives each plugin its own class
 * loader, and the driver lives there, not on the worker's class path.
 */
@FunctionalInterface
public interface Connections {

    /**
     * @param connectorClass the connector whose plugin holds the driver
     * @param driverClass the driver's class name
     * @param url the JDBC URL
     * @param properties user, password and driver settings
     */
    Connection open(String connectorClass, String driverClass, String url, Properties properties) throws SQLException;
}
