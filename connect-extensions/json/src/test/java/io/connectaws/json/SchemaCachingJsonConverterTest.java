package io.connectaws.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The converter against Kafka's own JsonConverter: the same bytes for every record, with the schema written once. */
class SchemaCachingJsonConverterTest {

    private static final String TOPIC = "inventory.public.orders";

    /** Worker-style settings the comparison runs under: the defaults and each setting that changes the output. */
    private static final List<Map<String, Object>> SETTINGS = List.of(
            Map.of(),
            Map.of("decimal.format", "NUMERIC"),
            Map.of("replace.null.with.default", "false"),
            Map.of("schemas.cache.size", "1"),
            Map.of("schemas.enable", "false"));

    @Test
    void debeziumChangeEventsAreByteForByteTheStockConvertersOutput() {
        Schema value = DebeziumShapes.envelope();
        for (Map<String, Object> settings : SETTINGS) {
            for (boolean isKey : new boolean[] {false, true}) {
                Converters c = new Converters(settings, isKey);
                Random random = new Random(7);
                for (int i = 0; i < 500; i++) {
                    Struct event = DebeziumShapes.event(value, random, i);
                    c.assertSame(value, event);
                }
                c.assertSame(DebeziumShapes.KEY, new Struct(DebeziumShapes.KEY).put("id", 42L));
                c.assertSame(value, null); // a tombstone's value schema is null too, below
                c.assertSame(null, null);
            }
        }
    }

    @Test
    void randomSchemasAndValuesAreByteForByteTheStockConvertersOutput() {
        Random random = new Random(20261121);
        for (Map<String, Object> settings : SETTINGS) {
            Converters c = new Converters(settings, false);
            for (int i = 0; i < 1500; i++) {
                Schema schema = RandomSchemas.schema(random, 0);
                for (int j = 0; j < 3; j++) {
                    Object v = RandomSchemas.value(schema, random, 0);
                    c.assertSame(schema, v);
                }
            }
        }
    }

    @Test
    void schemalessValuesAndOptionalNullsAreTheStockConvertersOutput() {
        Converters c = new Converters(Map.of(), false);
        Map<String, Object> schemaless = new LinkedHashMap<>();
        schemaless.put("id", 1);
        schemaless.put("name", "caf\u00e9 \"quoted\" \n");
        schemaless.put("tags", List.of("a", "b"));
        c.assertSame(null, schemaless);
        c.assertSame(null, "plain string");
        c.assertSame(Schema.OPTIONAL_STRING_SCHEMA, null);
        c.assertSame(SchemaBuilder.int32().optional().defaultValue(7).build(), null);
        c.assertSame(SchemaBuilder.string().defaultValue("d").build(), null);
    }

    @Test
    void aRequiredValueThatIsMissingFailsWithTheStockConvertersError() {
        Converters c = new Converters(Map.of(), false);
        Schema required = SchemaBuilder.struct().name("r").field("a", Schema.INT32_SCHEMA).build();
        Throwable stock = catchThrowable(() -> c.stock.fromConnectData(TOPIC, Schema.INT64_SCHEMA, null));
        assertThat(stock).isInstanceOf(DataException.class);
        assertThatThrownBy(() -> c.ours.fromConnectData(TOPIC, Schema.INT64_SCHEMA, null))
                .isInstanceOf(DataException.class).hasMessage(stock.getMessage());
        Struct incomplete = new Struct(required);
        Throwable stockIncomplete = catchThrowable(() -> c.stock.fromConnectData(TOPIC, required, incomplete));
        assertThatThrownBy(() -> c.ours.fromConnectData(TOPIC, required, incomplete))
                .isInstanceOf(stockIncomplete.getClass()).hasMessage(stockIncomplete.getMessage());
    }

    @Test
    void eachSchemaIsWrittenOnceAndEqualSchemasShareTheWrittenJson() {
        AtomicInteger written = new AtomicInteger();
        SchemaCachingJsonConverter counting = new SchemaCachingJsonConverter() {
            @Override
            public com.fasterxml.jackson.databind.node.ObjectNode asJsonSchema(Schema schema) {
                written.incrementAndGet();
                return super.asJsonSchema(schema);
            }
        };
        counting.configure(Map.of(), false);
        Schema envelope = DebeziumShapes.envelope();
        Random random = new Random(1);
        counting.fromConnectData(TOPIC, envelope, DebeziumShapes.event(envelope, random, 0));
        int once = written.get(); // asJsonSchema recurses into nested schemas
        assertThat(once).isGreaterThan(1);
        for (int i = 1; i < 100; i++) {
            counting.fromConnectData(TOPIC, envelope, DebeziumShapes.event(envelope, random, i));
        }
        assertThat(written).hasValue(once);

        Schema equalCopy = DebeziumShapes.envelope();
        assertThat(equalCopy).isNotSameAs(envelope).isEqualTo(envelope);
        counting.fromConnectData(TOPIC, equalCopy, DebeziumShapes.event(equalCopy, random, 1));
        counting.fromConnectData(TOPIC, envelope, DebeziumShapes.event(envelope, random, 2));
        assertThat(written).hasValue(once);

        counting.fromConnectData(TOPIC, DebeziumShapes.KEY, new Struct(DebeziumShapes.KEY).put("id", 1L));
        assertThat(written.get()).isGreaterThan(once);
        counting.close();
    }

    /** A SchemaBuilder is its own cache key in both converters (it has no equality of its own). */
    @Test
    void aSchemaBuilderChangedBetweenRecordsGivesWhatTheStockConverterGives() {
        Converters c = new Converters(Map.of(), false);
        SchemaBuilder growing = SchemaBuilder.struct().name("growing").field("a", Schema.INT32_SCHEMA);
        c.assertSame(growing, new Struct(growing).put("a", 1));
        growing.field("b", Schema.OPTIONAL_STRING_SCHEMA);
        c.assertSame(growing, new Struct(growing).put("a", 2).put("b", "x"));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readingAndHeadersAreTheStockConverters(boolean isKey) {
        Converters c = new Converters(Map.of(), isKey);
        Schema envelope = DebeziumShapes.envelope();
        Struct event = DebeziumShapes.event(envelope, new Random(3), 9);
        byte[] bytes = c.ours.fromConnectData(TOPIC, envelope, event);
        assertThat(c.ours.toConnectData(TOPIC, bytes)).isEqualTo(c.stock.toConnectData(TOPIC, bytes));
        assertThat(c.ours.toConnectData(TOPIC, bytes).value()).isEqualTo(event);
        assertThat(c.ours.fromConnectHeader(TOPIC, "h", envelope, event))
                .isEqualTo(c.stock.fromConnectHeader(TOPIC, "h", envelope, event));
    }

    /** The converter under test and Kafka's, configured alike. */
    private static final class Converters {
        final JsonConverter stock = new JsonConverter();
        final SchemaCachingJsonConverter ours = new SchemaCachingJsonConverter();
        final Map<String, Object> settings;

        Converters(Map<String, Object> settings, boolean isKey) {
            this.settings = settings;
            stock.configure(settings, isKey);
            ours.configure(settings, isKey);
        }

        void assertSame(Schema schema, Object value) {
            byte[] expected;
            try {
                expected = stock.fromConnectData(TOPIC, schema, value);
            } catch (DataException e) {
                assertThatThrownBy(() -> ours.fromConnectData(TOPIC, schema, value))
                        .isInstanceOf(DataException.class).hasMessage(e.getMessage());
                return;
            }
            byte[] actual = ours.fromConnectData(TOPIC, schema, value);
            if (expected == null) {
                assertThat(actual).isNull();
                return;
            }
            assertThat(new String(actual, StandardCharsets.UTF_8))
                    .as("settings %s, schema %s", settings, schema)
                    .isEqualTo(new String(expected, StandardCharsets.UTF_8));
            assertThat(actual).isEqualTo(expected);
        }
    }

    /** Change-event schemas shaped like Debezium's PostgreSQL connector's (names, parameters, logical types). */
    static final class DebeziumShapes {
        static final Schema KEY = SchemaBuilder.struct().name("inventory.public.orders.Key")
                .field("id", Schema.INT64_SCHEMA).build();

        static Schema envelope() {
            Schema row = SchemaBuilder.struct().name("inventory.public.orders.Value").optional()
                    .field("id", SchemaBuilder.int64().parameter("__debezium.source.column.type", "BIGSERIAL").build())
                    .field("customer", SchemaBuilder.string().optional()
                            .parameter("__debezium.source.column.type", "VARCHAR")
                            .parameter("__debezium.source.column.length", "255").build())
                    .field("amount", Decimal.builder(2).optional().parameter("connect.decimal.precision", "12").build())
                    .field("status", SchemaBuilder.string().defaultValue("new").build())
                    .field("created", SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").version(1).optional().build())
                    .field("shipped", Date.builder().optional().build())
                    .field("payload", SchemaBuilder.bytes().optional().build())
                    .field("notes", SchemaBuilder.string().name("io.debezium.data.Json").version(1).optional().build())
                    .build();
            Schema source = SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source")
                    .field("version", Schema.STRING_SCHEMA)
                    .field("connector", Schema.STRING_SCHEMA)
                    .field("name", Schema.STRING_SCHEMA)
                    .field("ts_ms", Schema.INT64_SCHEMA)
                    .field("snapshot", SchemaBuilder.string().optional().name("io.debezium.data.Enum").version(1)
                            .parameter("allowed", "true,first,first_in_data_collection,last_in_data_collection,last,false,incremental")
                            .defaultValue("false").build())
                    .field("db", Schema.STRING_SCHEMA)
                    .field("sequence", Schema.OPTIONAL_STRING_SCHEMA)
                    .field("schema", Schema.STRING_SCHEMA)
                    .field("table", Schema.STRING_SCHEMA)
                    .field("txId", Schema.OPTIONAL_INT64_SCHEMA)
                    .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
                    .build();
            Schema transaction = SchemaBuilder.struct().name("event.block").version(1).optional()
                    .field("id", Schema.STRING_SCHEMA)
                    .field("total_order", Schema.INT64_SCHEMA)
                    .field("data_collection_order", Schema.INT64_SCHEMA)
                    .build();
            return SchemaBuilder.struct().name("inventory.public.orders.Envelope").version(2)
                    .field("before", row)
                    .field("after", row)
                    .field("source", source)
                    .field("transaction", transaction)
                    .field("op", Schema.STRING_SCHEMA)
                    .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
                    .field("ts_us", Schema.OPTIONAL_INT64_SCHEMA)
                    .field("ts_ns", Schema.OPTIONAL_INT64_SCHEMA)
                    .build();
        }

        static Struct event(Schema envelope, Random random, int i) {
            Schema rowSchema = envelope.field("after").schema();
            Struct after = new Struct(rowSchema)
                    .put("id", (long) i)
                    .put("customer", i % 7 == 0 ? null : "customer \"" + i + "\" caf\u00e9 \u2603 \t")
                    .put("amount", i % 5 == 0 ? null : new BigDecimal(BigInteger.valueOf(random.nextInt(10_000_000) - 5_000_000), 2))
                    .put("status", "shipped")
                    .put("created", 1_763_700_000_000_000L + random.nextInt(1_000_000))
                    .put("shipped", i % 3 == 0 ? null : new java.util.Date(86_400_000L * (20_000 + random.nextInt(100))))
                    .put("payload", i % 4 == 0 ? null : bytes(random, 20))
                    .put("notes", "{\"k\": [1, 2, \"\\u0001\"]}");
            Struct source = new Struct(envelope.field("source").schema())
                    .put("version", "3.6.3.Final").put("connector", "postgresql").put("name", "inventory")
                    .put("ts_ms", 1_763_700_000_000L + i).put("snapshot", i < 10 ? "true" : "false").put("db", "inventory")
                    .put("sequence", "[null,\"" + (1000 + i) + "\"]").put("schema", "public").put("table", "orders")
                    .put("txId", 700L + i).put("lsn", 23_000_000L + i);
            Struct event = new Struct(envelope).put("after", after).put("source", source)
                    .put("op", i % 3 == 0 ? "r" : "c").put("ts_ms", 1_763_700_000_100L + i);
            if (i % 2 == 1) {
                event.put("before", after).put("op", "u");
            }
            if (i % 11 == 0) {
                event.put("transaction", new Struct(envelope.field("transaction").schema())
                        .put("id", "571:" + i).put("total_order", (long) i).put("data_collection_order", 1L));
            }
            return event;
        }
    }

    /** Schemas of every Connect type, nested up to three deep, with names, docs, parameters and defaults. */
    static final class RandomSchemas {
        private static final String[] FIELD_NAMES = {"id", "name", "caf\u00e9", "with \"quotes\"", "back\\slash", "tab\t", "\u2603", "a.b", "x"};

        static Schema schema(Random random, int depth) {
            int kinds = depth >= 3 ? 13 : 16;
            SchemaBuilder b = switch (random.nextInt(kinds)) {
                case 0 -> SchemaBuilder.int8();
                case 1 -> SchemaBuilder.int16();
                case 2 -> SchemaBuilder.int32();
                case 3 -> SchemaBuilder.int64();
                case 4 -> SchemaBuilder.float32();
                case 5 -> SchemaBuilder.float64();
                case 6 -> SchemaBuilder.bool();
                case 7, 8 -> SchemaBuilder.string();
                case 9 -> SchemaBuilder.bytes();
                case 10 -> Decimal.builder(random.nextInt(6));
                case 11 -> random.nextBoolean() ? Date.builder() : Time.builder();
                case 12 -> Timestamp.builder();
                case 13 -> SchemaBuilder.array(schema(random, depth + 1));
                case 14 -> random.nextBoolean()
                        ? SchemaBuilder.map(Schema.STRING_SCHEMA, schema(random, depth + 1))
                        : SchemaBuilder.map(schema(random, 3), schema(random, depth + 1));
                default -> struct(random, depth);
            };
            if (random.nextInt(3) == 0) {
                b.optional();
            }
            if (b.name() == null && random.nextInt(4) == 0) {
                b.name("io.example.T" + random.nextInt(100)).version(1 + random.nextInt(3));
            }
            if (random.nextInt(5) == 0) {
                b.doc("doc \"" + random.nextInt(10) + "\"\n");
            }
            if (random.nextInt(4) == 0) {
                b.parameter("__debezium.source.column.type", "T" + random.nextInt(5)).parameter("p \u00e9", "v\"");
            }
            if (b.type().isPrimitive() && random.nextInt(4) == 0) {
                b.defaultValue(value(b, random, depth));
            }
            return b.build();
        }

        private static SchemaBuilder struct(Random random, int depth) {
            SchemaBuilder b = SchemaBuilder.struct();
            int fields = 1 + random.nextInt(6);
            for (int i = 0; i < fields; i++) {
                String name = FIELD_NAMES[random.nextInt(FIELD_NAMES.length)] + i;
                b.field(name, schema(random, depth + 1));
            }
            return b;
        }

        static Object value(Schema schema, Random random, int depth) {
            if (schema.isOptional() && random.nextInt(4) == 0) {
                return null;
            }
            if (depth == 0 && schema.defaultValue() != null && random.nextInt(4) == 0) {
                return null; // the converter writes the default (Struct refuses a null in a required field)
            }
            String name = schema.name();
            if (Decimal.LOGICAL_NAME.equals(name)) {
                int scale = Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD));
                return new BigDecimal(BigInteger.valueOf(random.nextLong() >> random.nextInt(60)), scale);
            }
            if (Date.LOGICAL_NAME.equals(name)) {
                return new java.util.Date(86_400_000L * (random.nextInt(40_000) - 10_000));
            }
            if (Time.LOGICAL_NAME.equals(name)) {
                return new java.util.Date(random.nextInt(86_400_000));
            }
            if (Timestamp.LOGICAL_NAME.equals(name)) {
                return new java.util.Date(random.nextLong() >> 20);
            }
            return switch (schema.type()) {
                case INT8 -> (byte) random.nextInt();
                case INT16 -> (short) random.nextInt();
                case INT32 -> random.nextInt();
                case INT64 -> random.nextLong();
                case FLOAT32 -> random.nextInt(20) == 0 ? Float.NaN : random.nextFloat() * 1e6f - 5e5f;
                case FLOAT64 -> random.nextInt(20) == 0 ? Double.NEGATIVE_INFINITY : random.nextGaussian() * 1e12;
                case BOOLEAN -> random.nextBoolean();
                case STRING -> string(random);
                case BYTES -> random.nextBoolean() ? bytes(random, 12) : ByteBuffer.wrap(bytes(random, 12));
                case ARRAY -> {
                    List<Object> list = new ArrayList<>();
                    for (int i = random.nextInt(4); i > 0; i--) {
                        list.add(value(schema.valueSchema(), random, depth + 1));
                    }
                    yield list;
                }
                case MAP -> {
                    Map<Object, Object> map = new LinkedHashMap<>();
                    for (int i = random.nextInt(4); i > 0; i--) {
                        Object key = value(schema.keySchema(), random, depth + 1);
                        map.put(key, value(schema.valueSchema(), random, depth + 1));
                    }
                    yield map;
                }
                case STRUCT -> {
                    Struct struct = new Struct(schema);
                    for (Field field : schema.fields()) {
                        struct.put(field, value(field.schema(), random, depth + 1));
                    }
                    yield struct;
                }
            };
        }

        private static String string(Random random) {
            StringBuilder s = new StringBuilder();
            for (int i = random.nextInt(12); i > 0; i--) {
                int kind = random.nextInt(10);
                s.appendCodePoint(switch (kind) {
                    case 0 -> random.nextInt(0x20);          // control characters: escaped
                    case 1 -> '"';
                    case 2 -> '\\';
                    case 3 -> 0x80 + random.nextInt(0x700);  // two-byte UTF-8
                    case 4 -> 0x1F600 + random.nextInt(50);  // outside the BMP
                    default -> 'a' + random.nextInt(26);
                });
            }
            return s.toString();
        }
    }

    private static byte[] bytes(Random random, int max) {
        byte[] b = new byte[random.nextInt(max + 1)];
        random.nextBytes(b);
        return b;
    }
}
