package io.connectaws.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The docs say what the build and the benchmarks say. Reads README.md, docs/*.md and the local quickstart's compose
 * file, the built image's size from Docker, {@code bench/results/<run>/results.json}, and the setting names the code
 * knows. Rules:
 *
 * <ol>
 * <li><b>Image size.</b> Every "N MiB uncompressed" in the docs is the benchmark's {@code image.uncompressed} figure
 * (as rounded in the text) <em>and</em> within {@value #SIZE_TOLERANCE_PERCENT}% of the image this build made
 * ({@code docker image inspect}'s {@code Size}, in MiB). Why 5%: ordinary code changes move the image by a few MiB
 * (the benchmark's 192 MiB and this build's 198 MiB are 3% apart, a month of features between them), while the
 * mistakes this guards against are tens of percent ("about 260" against 198 is 31%). When the build drifts past 5%,
 * rerun {@code bench/compare/run.sh} and update the figures. "N MiB compressed" is the benchmark's
 * {@code image.compressed}.</li>
 * <li><b>Start time.</b> Every "REST ready [in|after] [about] N s" is the benchmark's {@code start.rest} median (a
 * bound such as "within 30 s" is not a measurement and is not matched).</li>
 * <li><b>The benchmark table.</b> In README's "Benchmarks" section, the run named by its {@code bench/results/<run>}
 * link: each row's ours, stock and ours/stock cells hold one figure or several joined by "/", and figure i of the
 * three cells must be one measurement's ours median, stock median and ratio, as rounded in the text (a figure may
 * also be that value in thousands: ms written as s, events/s written as "k").</li>
 * <li><b>Setting names.</b> Every {@code CONNECT_AWS_*} name is in the launcher's list of variables it reads (any
 * other stops the container); every {@code CONNECT_HEALTH_*}, {@code CONNECT_CLOUDWATCH_*},
 * {@code CONNECT_METRICS_*} and {@code CONNECT_DECLARATIONS_*} name maps, by the image's environment rule
 * ({@code ___} to {@code -}, {@code __} to {@code _}, {@code _} to {@code .}, lower case), to a key of
 * {@code HealthSettings}, {@code MetricsSettings} or {@code DeclarationSettings}. Names ending in {@code _} are
 * prefixes ({@code CONNECT_AWS_*}) and are not checked.</li>
 * </ol>
 * "As rounded in the text" means the value rounds to the written figure at the written number of decimals.
 */
class DocsMatchIT {

    static final int SIZE_TOLERANCE_PERCENT = 5;
    private static final double MIB = 1024 * 1024;
    private static final Pattern UNCOMPRESSED = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s+MiB\\s+uncompressed");
    private static final Pattern COMPRESSED = Pattern.compile("(?<!un)(?<![a-z])(\\d+(?:\\.\\d+)?)\\s+MiB\\s+compressed");
    private static final Pattern REST_READY = Pattern.compile("REST\\s+ready\\s+(?:in\\s+|after\\s+)?(?:about\\s+)?(\\d+(?:\\.\\d+)?)\\s+s\\b");
    private static final Pattern NUMBER = Pattern.compile("\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?");
    private static final Pattern SETTING = Pattern.compile(
            "CONNECT_(?:AWS|HEALTH|CLOUDWATCH|METRICS|DECLARATIONS)_[A-Z0-9_]*");
    private static final Pattern RUN_LINK = Pattern.compile("bench/results/([0-9TZ-]+)/");

    private static Path root;
    private static List<Path> docs;
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void findRepository() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("bench/results")))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("the repository root (README.md and bench/results) above " + Path.of("").toAbsolutePath()).isNotNull();
        root = dir;
        List<Path> all = new ArrayList<>();
        all.add(root.resolve("README.md"));
        try (Stream<Path> md = Files.list(root.resolve("docs"))) {
            md.filter(p -> p.toString().endsWith(".md")).sorted().forEach(all::add);
        }
        Path compose = root.resolve("compose.yaml");
        if (Files.isRegularFile(compose)) all.add(compose);
        docs = List.copyOf(all);
    }

    @Test
    void imageSizeMatchesTheBuildAndTheBenchmark() throws IOException {
        String image = Images.connect().asCanonicalNameString();
        long bytes = DockerClientFactory.instance().client().inspectImageCmd(image).exec().getSize();
        double built = bytes / MIB;
        JsonNode bench = latestMeasurement("image.uncompressed");
        double benchOurs = bench.at("/median/ours").asDouble();
        List<String> problems = new ArrayList<>();
        int found = 0;
        for (Path doc : docs) {
            Matcher m = UNCOMPRESSED.matcher(Files.readString(doc));
            while (m.find()) {
                found++;
                String stated = m.group(1);
                double value = Double.parseDouble(stated);
                double off = Math.abs(value - built) / built * 100;
                if (off > SIZE_TOLERANCE_PERCENT) {
                    problems.add(String.format(Locale.ROOT, "%s says %s MiB uncompressed; the built image %s is %.1f MiB (%.0f%% off, %d%% allowed)",
                            name(doc), stated, image, built, off, SIZE_TOLERANCE_PERCENT));
                }
                if (!rounds(benchOurs, stated)) {
                    problems.add(String.format(Locale.ROOT, "%s says %s MiB uncompressed; bench/results/%s has %.2f MiB",
                            name(doc), stated, bench.path("run").asText(), benchOurs));
                }
            }
        }
        assertThat(found).as("README states the image size as 'N MiB uncompressed'").isPositive();
        JsonNode compressed = latestMeasurement("image.compressed");
        problems.addAll(mentions(COMPRESSED, compressed, "MiB compressed"));
        assertThat(problems).as("image size figures (built: %.1f MiB)", built).isEmpty();
    }

    @Test
    void startTimeIsTheBenchmarks() throws IOException {
        assertThat(mentions(REST_READY, latestMeasurement("start.rest"), "s to REST ready")).isEmpty();
    }

    @Test
    void benchmarkTableIsTheLinkedRun() throws IOException {
        String readme = Files.readString(root.resolve("README.md"));
        int start = readme.indexOf("\n## Benchmarks");
        assertThat(start).as("README has a Benchmarks section").isPositive();
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        Matcher link = RUN_LINK.matcher(section);
        assertThat(link.find()).as("the Benchmarks section links its bench/results run").isTrue();
        String run = link.group(1);
        JsonNode measurements = JSON.readTree(root.resolve("bench/results").resolve(run).resolve("results.json").toFile())
                .path("measurements");
        List<String> table = new ArrayList<>();
        for (String line : section.split("\n")) {
            if (line.startsWith("|")) table.add(line);
            else if (!table.isEmpty()) break; // the first table only
        }
        List<String> problems = new ArrayList<>();
        int rows = 0;
        for (String line : table.subList(Math.min(2, table.size()), table.size())) { // after the header and |---|
            String[] cells = line.split("\\|", -1);
            rows++;
            List<String> ours = numbers(cells[2]);
            List<String> stock = numbers(cells[3]);
            List<String> ratio = numbers(cells[4]);
            String row = cells[1].trim();
            if (ours.isEmpty() || stock.size() != ours.size() || !(ratio.isEmpty() || ratio.size() == ours.size())) {
                problems.add("row '" + row + "': ours " + ours + ", stock " + stock + ", ratio " + ratio
                        + " cannot be paired figure by figure");
                continue;
            }
            for (int i = 0; i < ours.size(); i++) {
                boolean matched = false;
                for (JsonNode m : measurements) {
                    if (roundsOrThousands(m.at("/median/ours").asDouble(), ours.get(i))
                            && roundsOrThousands(m.at("/median/stock").asDouble(), stock.get(i))
                            && (ratio.isEmpty() || rounds(m.path("ratio").asDouble(), ratio.get(i)))) {
                        matched = true;
                        break;
                    }
                }
                if (!matched) {
                    problems.add("row '" + row + "': ours " + ours.get(i) + ", stock " + stock.get(i)
                            + (ratio.isEmpty() ? "" : ", ratio " + ratio.get(i)) + " is no measurement of bench/results/" + run);
                }
            }
        }
        assertThat(rows).as("rows in README's benchmark table").isGreaterThan(5);
        assertThat(problems).isEmpty();
    }

    @Test
    void everyNamedSettingExists() throws Exception {
        Set<String> known = new TreeSet<>(launcherVariables());
        for (String key : keys("io.connectaws.health.HealthSettings", "health.")) known.add(variable(key));
        for (String key : keys("io.connectaws.metrics.MetricsSettings", "cloudwatch.")) known.add(variable(key));
        for (String key : keys("io.connectaws.metrics.MetricsSettings", "metrics.")) known.add(variable(key));
        for (String key : keys("io.connectaws.declarations.DeclarationSettings", "declarations.")) known.add(variable(key));
        List<String> unknown = new ArrayList<>();
        for (Path doc : docs) {
            Matcher m = SETTING.matcher(Files.readString(doc));
            while (m.find()) {
                String name = m.group();
                if (!name.endsWith("_") && !known.contains(name)) unknown.add(name(doc) + ": " + name);
            }
        }
        assertThat(unknown).as("setting names in the docs that the code does not read (known: %s)", known).isEmpty();
    }

    /** The launcher's own list: a CONNECT_AWS_* name not in it stops the container. */
    private static List<String> launcherVariables() {
        List<String> variables = io.connectaws.launcher.ConnectLauncher.variables();
        assertThat(variables).as("ConnectLauncher.variables()").isNotEmpty();
        return variables;
    }

    /** The values of a settings class's public String constants that start with the prefix: its config keys. */
    private static List<String> keys(String className, String prefix) throws ReflectiveOperationException {
        List<String> keys = new ArrayList<>();
        for (Field f : Class.forName(className).getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                String value = (String) f.get(null);
                if (value != null && value.startsWith(prefix)) keys.add(value);
            }
        }
        assertThat(keys).as(className + " keys starting with " + prefix).isNotEmpty();
        return keys;
    }

    /** The environment variable the image maps onto a worker property (docs/launcher.md). */
    static String variable(String key) {
        return io.connectaws.launcher.EnvironmentMapping.variableFor(key);
    }

    private List<String> mentions(Pattern pattern, JsonNode measurement, String what) throws IOException {
        double ours = measurement.at("/median/ours").asDouble();
        List<String> problems = new ArrayList<>();
        for (Path doc : docs) {
            Matcher m = pattern.matcher(Files.readString(doc));
            while (m.find()) {
                if (!rounds(ours, m.group(1))) {
                    problems.add(String.format(Locale.ROOT, "%s says %s %s; bench/results/%s (%s) has %.3f",
                            name(doc), m.group(1), what, measurement.path("run").asText(), measurement.path("id").asText(), ours));
                }
            }
        }
        return problems;
    }

    /** The newest run under bench/results that has the measurement; its "run" field is set to the run's directory. */
    private static JsonNode latestMeasurement(String id) throws IOException {
        List<Path> runs;
        try (Stream<Path> s = Files.list(root.resolve("bench/results"))) {
            runs = s.filter(p -> Files.isRegularFile(p.resolve("results.json"))).sorted().toList();
        }
        for (int i = runs.size() - 1; i >= 0; i--) {
            for (JsonNode m : JSON.readTree(runs.get(i).resolve("results.json").toFile()).path("measurements")) {
                if (id.equals(m.path("id").asText())) {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) m).put("run", runs.get(i).getFileName().toString());
                    return m;
                }
            }
        }
        throw new AssertionError("no run under bench/results measured " + id);
    }

    private static List<String> numbers(String cell) {
        List<String> out = new ArrayList<>();
        Matcher m = NUMBER.matcher(cell.replaceAll("\\([^)]*\\)", ""));
        while (m.find()) out.add(m.group().replace(",", ""));
        return out;
    }

    /** True when value, rounded half-up to the written figure's decimals, is the written figure. */
    static boolean rounds(double value, String written) {
        BigDecimal figure = new BigDecimal(written.replace(",", ""));
        return BigDecimal.valueOf(value).setScale(Math.max(figure.scale(), 0), java.math.RoundingMode.HALF_UP)
                .compareTo(figure) == 0;
    }

    private static boolean roundsOrThousands(double value, String written) {
        return rounds(value, written) || rounds(value / 1000, written);
    }

    private static String name(Path doc) {
        return root.relativize(doc).toString();
    }
}
