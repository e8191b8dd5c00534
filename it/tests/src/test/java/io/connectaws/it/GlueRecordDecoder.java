package io.connectaws.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.kafka.common.serialization.Deserializer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a consumer of a Glue topic runs: Glue's own {@code AWSKafkaAvroDeserializer} (GENERIC_RECORD), taken from the
 * image's plugin directory as built and loaded child-first like Connect's plugin class loader (its AWS SDK 2.59 beside
 * the tests' 2.54), with static credentials for aws-local. A record comes back as the Avro record's JSON form.
 */
final class GlueRecordDecoder implements AutoCloseable {
    static final Path PLUGIN_DIRECTORY = Path.of("../../image/target/docker/plugins/connect-aws-glue-schema-registry");

    private final URLClassLoader loader;
    private final Deserializer<Object> deserializer;

    @SuppressWarnings("unchecked")
    GlueRecordDecoder(URI endpoint, String region, String registry, String accessKeyId, String secretAccessKey) {
        loader = new ChildFirst(jars(), GlueRecordDecoder.class.getClassLoader());
        try {
            Class<?> basic = loader.loadClass("software.amazon.awssdk.auth.credentials.AwsBasicCredentials");
            Object credentials = basic.getMethod("create", String.class, String.class)
                    .invoke(null, accessKeyId, secretAccessKey);
            Class<?> staticProvider = loader.loadClass("software.amazon.awssdk.auth.credentials.StaticCredentialsProvider");
            Object provider = staticProvider.getMethod("create",
                    loader.loadClass("software.amazon.awssdk.auth.credentials.AwsCredentials")).invoke(null, credentials);
            Class<?> type = loader.loadClass("com.amazonaws.services.schemaregistry.deserializers.avro.AWSKafkaAvroDeserializer");
            Map<String, Object> settings = new HashMap<>();
            settings.put("region", region);
            settings.put("endpoint", endpoint.toString());
            settings.put("registry.name", registry);
            settings.put("avroRecordType", "GENERIC_RECORD");
            deserializer = (Deserializer<Object>) type.getConstructor(
                    loader.loadClass("software.amazon.awssdk.auth.credentials.AwsCredentialsProvider"), Map.class)
                    .newInstance(provider, settings);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load Glue's deserializer from " + PLUGIN_DIRECTORY.toAbsolutePath(), e);
        }
    }

    /** The record's value as Glue's deserializer reads it, in Avro's JSON form. */
    JsonNode decode(String topic, byte[] value) {
        Object record = deserializer.deserialize(topic, value);
        try {
            return ConnectRest.JSON.readTree(record.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The schema version id a Glue-encoded record names: bytes 2-17 after header version 3 and compression. */
    static UUID schemaVersionId(byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        if (buffer.get() != 3) {
            throw new IllegalArgumentException("not a Glue Schema Registry record (header version " + value[0] + ")");
        }
        buffer.get();
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    private static URL[] jars() {
        try (Stream<Path> files = Files.list(PLUGIN_DIRECTORY)) {
            List<Path> jars = files.filter(p -> p.toString().endsWith(".jar")).toList();
            URL[] urls = new URL[jars.size()];
            for (int i = 0; i < urls.length; i++) {
                urls[i] = jars.get(i).toUri().toURL();
            }
            return urls;
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException("the image's build context has no Glue plugin directory; build the image "
                    + "first (mvn install)", e);
        }
    }

    @Override
    public void close() throws IOException {
        deserializer.close();
        loader.close();
    }

    /** Connect's rule: Kafka's and SLF4J's classes from the parent, everything else from the plugin's jars first. */
    private static final class ChildFirst extends URLClassLoader {
        ChildFirst(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("java.") || name.startsWith("org.apache.kafka.") || name.startsWith("org.slf4j.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try {
                        c = findClass(name);
                    } catch (ClassNotFoundException e) {
                        return super.loadClass(name, resolve);
                    }
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
