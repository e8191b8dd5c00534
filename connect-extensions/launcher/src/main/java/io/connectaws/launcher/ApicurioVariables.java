package io.connectaws.launcher;

import java.util.List;
import java.util.Map;

/**
 * Debezium's image variables for Apicurio Registry (its connect-base 3.6 {@code docker-entrypoint.sh}), with the meaning
 * they have there. The converters are always in this image (plugin directory {@code apicurio-converters}), so
 * {@value #ENABLE} is accepted and changes nothing. {@value #REGISTRY}, a registry URL, makes Apicurio's
 * {@code AvroConverter} the worker's key and value converter with that URL, auto-registration and find-latest, as
 * Debezium's entrypoint means to; it writes the last two as {@code apicurio.registry.auto.register} and
 * {@code find.latest}, names Apicurio does not read, which this image spells as Apicurio does
 * ({@code auto-register}, {@code find-latest}). A worker property that spells one of Apicurio's hyphenated settings with
 * dots (what a {@code CONNECT_*} variable gives with {@code _} for {@code -}) is refused with the variable to write.
 */
final class ApicurioVariables {

    /** Debezium's switch that links the Apicurio converters into each connector's directory: {@code true} or {@code false}. */
    static final String ENABLE = "ENABLE_APICURIO_CONVERTERS";
    /** Debezium's registry URL variable, e.g. {@code http://apicurio:8080/apis/registry/v2}. */
    static final String REGISTRY = "APICURIO_REGISTRY";
    /** Apicurio's Avro converter, the class Debezium's entrypoint sets. */
    static final String AVRO_CONVERTER = "io.apicurio.registry.utils.converter.AvroConverter";
    /** Apicurio's serde settings whose names carry a hyphen (2.6.13 {@code SerdeConfig}), and so a trap for CONNECT_*. */
    private static final List<String> HYPHENATED = List.of("apicurio.registry.auto-register",
            "apicurio.registry.auto-register.if-exists", "apicurio.registry.find-latest", "apicurio.registry.use-id",
            "apicurio.registry.as-confluent", "apicurio.registry.id-handler", "apicurio.registry.cache-latest",
            "apicurio.registry.check-period-ms", "apicurio.registry.retry-count", "apicurio.registry.retry-backoff-ms",
            "apicurio.registry.artifact-resolver-strategy", "apicurio.registry.schema-resolver",
            "apicurio.registry.fault-tolerant-refresh", "apicurio.registry.dereference-schema",
            "apicurio.registry.artifact.artifact-id", "apicurio.registry.artifact.group-id",
            "apicurio.registry.fallback.artifact-id", "apicurio.registry.fallback.group-id",
            "apicurio.registry.serde.validation-enabled");

    private ApicurioVariables() {
    }

    /** Applies both variables to the worker properties; refuses a contradiction or a mis-spelled Apicurio setting. */
    static void apply(Map<String, String> environment, Map<String, String> merged, Map<String, String> origins) {
        String enable = KafkaAuth.value(environment, ENABLE);
        if (enable != null && !enable.equalsIgnoreCase("true") && !enable.equalsIgnoreCase("false")) {
            throw new LauncherException(ENABLE + "=" + enable + " is not true or false (the Apicurio converters are "
                    + "always in this image: docs/schemas.md)");
        }
        refuseDottedSpellings(merged, origins);
        String url = KafkaAuth.value(environment, REGISTRY);
        if (url != null) {
            registry(url, merged, origins);
        }
        refuseV3Urls(merged, origins);
    }

    /** What {@value #REGISTRY} sets, as Debezium's entrypoint means it. */
    private static void registry(String url, Map<String, String> merged, Map<String, String> origins) {
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new LauncherException(REGISTRY + "=" + url + " is not an http(s) URL: give the registry's v2 API, "
                    + "e.g. http://apicurio:8080/apis/registry/v2");
        }
        for (String side : List.of("key", "value")) {
            String prefix = side + ".converter";
            put(merged, origins, prefix, AVRO_CONVERTER, url, true);
            put(merged, origins, prefix + ".apicurio.registry.url", url, url, true);
            put(merged, origins, prefix + ".apicurio.registry.auto-register", "true", url, false);
            put(merged, origins, prefix + ".apicurio.registry.find-latest", "true", url, false);
        }
    }

    /**
     * Sets {@code key} to what {@value #REGISTRY} implies unless the environment set it: to the same value it is
     * simply kept; to another one it is refused when {@code strict} (the converter and the URL), kept otherwise (the
     * user's explicit auto-register and find-latest win).
     */
    private static void put(Map<String, String> merged, Map<String, String> origins, String key, String value,
                            String url, boolean strict) {
        String origin = origins.get(key);
        if (origin != null && !WorkerConfiguration.PROFILE.equals(origin)) {
            if (strict && !merged.get(key).equals(value)) {
                throw new LauncherException(REGISTRY + "=" + url + " sets " + key + "=" + value + " (as Debezium's image "
                        + "does) and " + origin + "=" + merged.get(key) + " says otherwise: keep one of them");
            }
            return;
        }
        merged.put(key, value);
        origins.put(key, REGISTRY);
    }

    /**
     * Debezium's 3.x images carry Apicurio's 3.x converter, whose URL is the registry's v3 API; this image's 2.6
     * converter speaks v2, which Apicurio Registry 3.x serves as well. A v3 URL would fail at the first record.
     */
    private static void refuseV3Urls(Map<String, String> merged, Map<String, String> origins) {
        merged.forEach((key, value) -> {
            if (key.endsWith("apicurio.registry.url") && value.matches(".*/apis/registry/v3/?")) {
                throw new LauncherException(origins.getOrDefault(key, key) + "=" + value + " names the registry's v3 API, "
                        + "but this image's Apicurio converter (2.6.13) speaks v2: use "
                        + value.replaceAll("/v3/?$", "/v2") + " (Apicurio Registry 3.x serves it too; docs/schemas.md)");
            }
        });
    }

    private static void refuseDottedSpellings(Map<String, String> merged, Map<String, String> origins) {
        for (String key : merged.keySet()) {
            int at = key.indexOf("apicurio.");
            if (at < 0) {
                continue;
            }
            String setting = key.substring(at);
            for (String hyphenated : HYPHENATED) {
                if (!setting.equals(hyphenated) && setting.equals(hyphenated.replace('-', '.'))) {
                    String meant = key.substring(0, at) + hyphenated;
                    throw new LauncherException(origins.getOrDefault(key, key) + " sets " + key + ", which Apicurio does "
                            + "not read: it means " + meant + ", so write " + EnvironmentMapping.variableFor(meant)
                            + " (___ stands for -)");
                }
            }
        }
    }
}
