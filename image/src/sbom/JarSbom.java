import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A CycloneDX 1.5 SBOM of the jars in an image build context, from each jar's own Maven coordinates
 * (META-INF/maven/GROUP/ARTIFACT/pom.properties) and its SHA-256. build-image.sh runs it (JDK single-file launch, no
 * dependencies) only when cyclonedx-maven-plugin made no SBOM: its goals require Maven online, and an offline build
 * must still ship an SBOM of what is inside.
 *
 * <p>A jar without Maven metadata (Kafka's own, for one) is looked up by file name and SHA-256 in the local Maven
 * repository the build resolved it from, which gives its group.
 *
 * <p>Usage: {@code java JarSbom.java <context-dir> <image-name> <version> [<local-maven-repo>] > bom.json}
 */
public final class JarSbom {

    private record Component(String group, String name, String version, String sha256, String path) {
    }

    public static void main(String[] args) throws Exception {
        Path context = Path.of(args[0]);
        Path repository = Path.of(args.length > 3 ? args[3] : System.getProperty("user.home") + "/.m2/repository");
        List<Component> components = new ArrayList<>();
        java.util.Map<String, List<Path>> inRepository = null;
        try (Stream<Path> files = Files.walk(context)) {
            for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                Component c = component(context, jar);
                if (c.version() == null && Files.isDirectory(repository)) {
                    if (inRepository == null) {
                        inRepository = index(repository);
                    }
                    c = fromRepository(c, jar, repository, inRepository);
                }
                components.add(c);
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("{\n  \"bomFormat\": \"CycloneDX\",\n  \"specVersion\": \"1.5\",\n")
                .append("  \"serialNumber\": \"urn:uuid:").append(UUID.randomUUID()).append("\",\n")
                .append("  \"version\": 1,\n  \"metadata\": {\n")
                .append("    \"timestamp\": \"").append(Instant.now().toString()).append("\",\n")
                .append("    \"tools\": {\"components\": [{\"type\": \"application\", \"name\": \"connect-aws JarSbom\", ")
                .append("\"description\": \"jar scan of the build context (Maven ran offline)\"}]},\n")
                .append("    \"component\": {\"type\": \"container\", \"name\": ").append(quote(args[1]))
                .append(", \"version\": ").append(quote(args[2])).append("}\n  },\n  \"components\": [");
        for (int i = 0; i < components.size(); i++) {
            Component c = components.get(i);
            out.append(i == 0 ? "\n" : ",\n").append("    {\"type\": \"library\"");
            if (c.group() != null) {
                out.append(", \"group\": ").append(quote(c.group()));
            }
            out.append(", \"name\": ").append(quote(c.name()));
            if (c.version() != null) {
                out.append(", \"version\": ").append(quote(c.version()))
                        .append(", \"purl\": ").append(quote("pkg:maven/" + c.group() + "/" + c.name() + "@" + c.version()
                                + "?type=jar"));
            }
            out.append(", \"hashes\": [{\"alg\": \"SHA-256\", \"content\": \"").append(c.sha256()).append("\"}]")
                    .append(", \"properties\": [{\"name\": \"connect-aws:path\", \"value\": ").append(quote(c.path()))
                    .append("}]}");
        }
        out.append("\n  ]\n}\n");
        System.out.print(out);
    }

    /** The jar's coordinates: the pom.properties whose artifactId its file name starts with, or its only one. */
    private static Component component(Path context, Path jar) throws Exception {
        String file = jar.getFileName().toString();
        String path = context.relativize(jar).toString();
        List<Properties> poms = new ArrayList<>();
        try (JarFile j = new JarFile(jar.toFile())) {
            for (JarEntry e : java.util.Collections.list(j.entries())) {
                if (e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/pom.properties")) {
                    Properties p = new Properties();
                    try (InputStream in = j.getInputStream(e)) {
                        p.load(in);
                    }
                    poms.add(p);
                }
            }
        }
        Properties chosen = poms.stream().filter(p -> file.startsWith(p.getProperty("artifactId", "\0") + "-")
                || file.equals(p.getProperty("artifactId") + ".jar")).findFirst()
                .orElse(poms.size() == 1 ? poms.get(0) : null);
        String sha = sha256(jar);
        if (chosen == null) {
            return new Component(null, file.replaceFirst("\\.jar$", ""), null, sha, path);
        }
        return new Component(chosen.getProperty("groupId"), chosen.getProperty("artifactId"),
                chosen.getProperty("version"), sha, path);
    }

    /** Jars of the local repository by file name. */
    private static java.util.Map<String, List<Path>> index(Path repository) throws IOException {
        java.util.Map<String, List<Path>> byName = new java.util.HashMap<>();
        try (Stream<Path> all = Files.walk(repository)) {
            all.filter(p -> p.toString().endsWith(".jar"))
                    .forEach(p -> byName.computeIfAbsent(p.getFileName().toString(), k -> new ArrayList<>()).add(p));
        }
        return byName;
    }

    /** Coordinates from the repository layout GROUP/ARTIFACT/VERSION/ARTIFACT-VERSION.jar of the same bytes. */
    private static Component fromRepository(Component c, Path jar, Path repository,
                                            java.util.Map<String, List<Path>> index) throws Exception {
        for (Path candidate : index.getOrDefault(jar.getFileName().toString(), List.of())) {
            Path relative = repository.relativize(candidate);
            int n = relative.getNameCount();
            if (n < 4 || !sha256(candidate).equals(c.sha256())) {
                continue;
            }
            String version = relative.getName(n - 2).toString();
            String artifact = relative.getName(n - 3).toString();
            String group = relative.subpath(0, n - 3).toString().replace('/', '.');
            return new Component(group, artifact, version, c.sha256(), c.path());
        }
        return c;
    }

    private static String sha256(Path file) throws IOException, java.security.NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[65536];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        q.append(String.format("\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
