package io.connectaws.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.runtime.isolation.LoaderSwap;
import org.apache.kafka.connect.runtime.isolation.Plugins;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.HeaderConverter;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The password keys a plugin declares, read from its {@link ConfigDef} through the worker's {@link Plugins} (each class
 * instantiated once, in its own class loader, and remembered). A class that cannot be loaded has none, so references
 * in its keys are refused unless they are identity keys.
 */
public final class PluginPasswordKeys implements SecretReferencePolicy.PasswordKeys {
    private static final Logger log = LoggerFactory.getLogger(PluginPasswordKeys.class);

    /** Where a plugin directory lists the password keys of one of its classes, one key a line. */
    public static final String DECLARED = "META-INF/connect-aws/password-keys/";

    private final Plugins plugins;
    private final Map<String, Set<String>> known = new ConcurrentHashMap<>();

    public PluginPasswordKeys(Plugins plugins) {
        this.plugins = plugins;
    }

    @Override
    public Set<String> of(String pluginClass) {
        return known.computeIfAbsent(pluginClass, this::load);
    }

    private Set<String> load(String pluginClass) {
        try {
            Object plugin = plugins.newPlugin(pluginClass, null);
            try (LoaderSwap swap = plugins.withClassLoader(plugin.getClass().getClassLoader())) {
                ConfigDef def = configDef(plugin);
                Set<String> keys = new TreeSet<>(def == null ? Set.of() : ClientPasswords.passwords(def));
                keys.addAll(declaredInPluginDirectory(plugin.getClass()));
                return Set.copyOf(keys);
            } finally {
                if (plugin instanceof AutoCloseable c) {
                    c.close();
                }
            }
        } catch (Exception | LinkageError e) {
            log.debug("No config definition for {}: {}", pluginClass, e.toString());
            return Set.of();
        }
    }

    /**
     * Password keys a plugin directory declares for a class whose {@link ConfigDef} does not (Apicurio's converters
     * return an empty one): the lines of {@value #DECLARED}{@code <class name>} in its class loader.
     */
    static Set<String> declaredInPluginDirectory(Class<?> pluginClass) throws IOException {
        ClassLoader loader = pluginClass.getClassLoader();
        if (loader == null) {
            return Set.of();
        }
        try (InputStream in = loader.getResourceAsStream(DECLARED + pluginClass.getName())) {
            if (in == null) {
                return Set.of();
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::trim)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).collect(Collectors.toSet());
        }
    }

    private static ConfigDef configDef(Object plugin) {
        if (plugin instanceof Connector c) return c.config();
        if (plugin instanceof Transformation<?> t) return t.config();
        if (plugin instanceof Predicate<?> p) return p.config();
        if (plugin instanceof Converter c) return c.config();
        if (plugin instanceof HeaderConverter h) return h.config();
        return null;
    }
}
