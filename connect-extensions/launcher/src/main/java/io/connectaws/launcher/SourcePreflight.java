package io.connectaws.launcher;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.connect.runtime.isolation.Plugins;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.runtime.rest.entities.ConfigValueInfo;

import io.connectaws.sourcedb.Candidate;
import io.connectaws.sourcedb.Connections;
import io.connectaws.sourcedb.Finding;
import io.connectaws.sourcedb.Preflight;

/**
 * The source database pre-flight ({@link Preflight}) as the herder runs it: after Connect's own validation passed,
 * against the config with its references resolved, with the driver of the connector's own plugin. Blocking findings
 * become validation errors on the key they concern, so a REST create or replace answers HTTP 400 with them and the
 * validate endpoint shows them where the user looks; warnings, and every finding in {@code warn} mode, are logged.
 */
final class SourcePreflight {

    /** {@code enforce} (the default), {@code warn} or {@code off}. */
    static final String VARIABLE = "CONNECT_AWS_PREFLIGHT";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SourcePreflight.class);
    private final Preflight preflight;
    private final Preflight.Mode mode;
    private final Plugins plugins;

    /** The mode {@value #VARIABLE} sets; a value other than enforce, warn or off stops the start with one line. */
    static Preflight.Mode mode(Map<String, String> environment) {
        try {
            return Preflight.Mode.parse(environment.get(VARIABLE));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(VARIABLE + ": " + e.getMessage());
        }
    }

    SourcePreflight(Preflight.Mode mode, Plugins plugins) {
        this.mode = mode;
        this.plugins = plugins;
        this.preflight = Preflight.standard(drivers(plugins));
    }

    /** Whether the checks run for a config of {@code connectorClass} (a class name or Connect's alias of one). */
    boolean applies(String connectorClass) {
        return mode != Preflight.Mode.OFF && connectorClass != null && preflight.covers(fullName(connectorClass));
    }

    /**
     * {@code infos} with the blocking findings for {@code candidate} added as errors (in {@code enforce} mode).
     *
     * @param resolve resolves config provider references the way the worker does
     */
    ConfigInfos check(ConfigInfos infos, Map<String, String> config, Map<String, String> stored,
                      Function<Map<String, String>, Map<String, String>> resolve) {
        Map<String, String> resolved = new java.util.HashMap<>(resolve.apply(config));
        resolved.put("connector.class", fullName(config.get("connector.class")));
        String name = config.getOrDefault("name", "");
        List<Finding> findings = preflight.findings(new Candidate(name, resolved, stored));
        List<Finding> refusals = new ArrayList<>();
        for (Finding f : findings) {
            if (f.blocking() && mode == Preflight.Mode.ENFORCE) {
                refusals.add(f);
            } else {
                LOG.warn("Connector '{}': source database pre-flight: {}", name, f.message());
            }
        }
        return refusals.isEmpty() ? infos : withErrors(infos, refusals);
    }

    /** {@code infos} with each finding's message added to the errors of its key (or of connector.class). */
    static ConfigInfos withErrors(ConfigInfos infos, List<Finding> findings) {
        List<ConfigInfo> configs = new ArrayList<>(infos.configs());
        for (Finding f : findings) {
            int at = indexOf(configs, f.key());
            if (at < 0) {
                at = indexOf(configs, "connector.class");
            }
            if (at < 0) {
                configs.add(new ConfigInfo(null, new ConfigValueInfo(f.key(), null, List.of(), List.of(f.message()), true)));
                continue;
            }
            ConfigValueInfo v = configs.get(at).configValue();
            List<String> errors = new ArrayList<>(v.errors());
            errors.add(f.message());
            configs.set(at, new ConfigInfo(configs.get(at).configKey(),
                    new ConfigValueInfo(v.name(), v.value(), v.recommendedValues(), errors, v.visible())));
        }
        return new ConfigInfos(infos.name(), infos.errorCount() + findings.size(), infos.groups(), configs);
    }

    private static int indexOf(List<ConfigInfo> configs, String key) {
        for (int i = 0; i < configs.size(); i++) {
            ConfigValueInfo v = configs.get(i).configValue();
            if (v != null && key.equals(v.name())) {
                return i;
            }
        }
        return -1;
    }

    private String fullName(String connectorClass) {
        return fullName(plugins, connectorClass);
    }

    /** The full class name of a connector.class value (an alias or Debezium 1.x name), as the worker's plugins know it. */
    static String fullName(Plugins plugins, String connectorClass) {
        String name = io.connectaws.rest.DebeziumLegacyNames.connectorClass(connectorClass);
        try {
            return plugins.connectorClass(name).getName();
        } catch (RuntimeException e) {
            return name;
        }
    }

    /** Drivers from the connector plugin's own class loader, called directly (DriverManager would not see them). */
    static Connections drivers(Plugins plugins) {
        return (connectorClass, driverClass, url, properties) -> {
            ClassLoader loader = plugins.connectorLoader(connectorClass, null);
            Driver driver;
            try {
                driver = (Driver) Class.forName(driverClass, true, loader).getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new SQLException("the " + connectorClass + " plugin has no JDBC driver " + driverClass, "08001");
            }
            Connection connection = driver.connect(url, properties);
            if (connection == null) {
                throw new SQLException("driver " + driverClass + " does not accept " + url, "08001");
            }
            return connection;
        };
    }
}
