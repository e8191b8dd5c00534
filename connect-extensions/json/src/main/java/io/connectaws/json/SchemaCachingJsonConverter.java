package io.connectaws.json;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.cache.Cache;
import org.apache.kafka.common.cache.LRUCache;
import org.apache.kafka.common.cache.SynchronizedCache;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.json.JsonSerializer;

/**
 * Kafka's {@link JsonConverter}, writing the same bytes for every record, that serialises the {@code "schema"} half of
 * an envelope once per schema instead of once per record.
 *
 * <p>With {@code schemas.enable=true} (Kafka's default) the stock converter caches each schema's JSON tree but walks
 * and writes that tree again for every record; for a Debezium change event the schema is several times the size of
 * the payload, and writing it was the largest single cost of a snapshot (bench/results/tuning.md). This class keeps
 * the written bytes instead and writes {@code {"schema":<cached>,"payload":<payload>}}, with the payload produced by
 * a stock {@code JsonConverter} with envelopes off, so the payload rules (decimal format, null defaults, logical
 * types) are Kafka's own. Everything else (reading, headers, {@code schemas.enable=false}) is the stock converter.
 *
 * <p>Schemas are cached the way the stock converter caches them, in an LRU cache of {@code schemas.cache.size} entries
 * keyed by schema equality ({@code ConnectSchema}'s deep equality, a {@code SchemaBuilder}'s identity); the last schema
 * seen is also recognised by identity, which spares hashing a large schema for every record.
 */
public class SchemaCachingJsonConverter extends JsonConverter {

    private static final byte[] SCHEMA_FIELD = "{\"schema\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PAYLOAD_FIELD = ",\"payload\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.UTF_8);

    /** The stock converter with envelopes off: writes the payload half. */
    private final JsonConverter payloads = new JsonConverter();
    /** Configured like the stock converter's own serializer (no features, Blackbird on). */
    private final JsonSerializer serializer = new JsonSerializer();
    private boolean envelopes;
    private Cache<Schema, byte[]> schemaJson;
    private volatile Written last;

    private record Written(Schema schema, byte[] json) {
    }

    @Override
    public void configure(Map<String, ?> configs) {
        super.configure(configs);
        JsonConverterConfig config = new JsonConverterConfig(configs);
        envelopes = config.schemasEnabled();
        Map<String, Object> payloadConfigs = new HashMap<>(configs);
        payloadConfigs.put(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, false);
        payloads.configure(payloadConfigs);
        schemaJson = new SynchronizedCache<>(new LRUCache<>(config.schemaCacheSize()));
        last = null;
    }

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        if (!envelopes || (schema == null && value == null)) {
            return super.fromConnectData(topic, schema, value);
        }
        // The stock converter builds the schema before the payload; the same order gives the same error first.
        byte[] schemaPart = schemaJson(topic, schema);
        byte[] payloadPart = payloads.fromConnectData(topic, schema, value);
        byte[] out = new byte[SCHEMA_FIELD.length + schemaPart.length + PAYLOAD_FIELD.length + payloadPart.length + 1];
        int at = 0;
        System.arraycopy(SCHEMA_FIELD, 0, out, at, SCHEMA_FIELD.length);
        at += SCHEMA_FIELD.length;
        System.arraycopy(schemaPart, 0, out, at, schemaPart.length);
        at += schemaPart.length;
        System.arraycopy(PAYLOAD_FIELD, 0, out, at, PAYLOAD_FIELD.length);
        at += PAYLOAD_FIELD.length;
        System.arraycopy(payloadPart, 0, out, at, payloadPart.length);
        out[out.length - 1] = '}';
        return out;
    }

    @Override
    public void close() {
        try {
            payloads.close();
        } finally {
            super.close();
        }
    }

    /** The JSON of {@code schema} as the stock converter writes it inside an envelope. */
    private byte[] schemaJson(String topic, Schema schema) {
        if (schema == null) {
            return NULL;
        }
        Written seen = last;
        if (seen != null && seen.schema() == schema) {
            return seen.json();
        }
        byte[] json = schemaJson.get(schema);
        if (json == null) {
            try {
                json = serializer.serialize(topic, asJsonSchema(schema));
            } catch (SerializationException e) {
                throw new DataException("Converting Kafka Connect data to byte[] failed due to serialization error: ", e);
            }
            schemaJson.put(schema, json);
        }
        last = new Written(schema, json);
        return json;
    }
}
