package io.connectaws.declarations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Declarations in a directory tree: every {@code *.json}, {@code *.yaml} and {@code *.yml} file, in path order.
 * Names starting with a dot are skipped (editor files, and the {@code ..data} links of a mounted Kubernetes or ECS
 * volume); CSV files are read only as the tenant lists a template names. A missing directory is a problem and nothing
 * is purged while it lasts.
 */
public final class DirectorySource implements DeclarationSource {
    /** Larger files are refused: a declaration is a few KB, a 200-tenant list a few tens. */
    static final long MAX_BYTES = 4L * 1024 * 1024;
    private static final int MAX_DEPTH = 8;

    private final Path root;

    public DirectorySource(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public Read read() {
        List<Document> documents = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            // a volume that failed to mount must not read as "nothing declared" (purge would delete everything)
            problems.add(new Problem("directory " + root, null, null, "does not exist: create it (the image has "
                    + "/opt/connect/connectors), mount the volume there, or set declarations.dir"));
            return new Read(documents, problems, false);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root, MAX_DEPTH)) {
            files = walk.filter(p -> !hidden(p)).filter(Files::isRegularFile)
                    .filter(p -> declarationFile(p.getFileName().toString())).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            problems.add(new Problem("directory " + root, null, null, "cannot list it: " + e.getMessage()));
            return new Read(documents, problems, false);
        }
        boolean complete = true;
        for (Path file : files) {
            try {
                documents.add(document(file));
            } catch (IOException e) {
                problems.add(new Problem(id(file), null, null, "cannot read it: " + e));
                complete = false;
            }
        }
        return new Read(documents, problems, complete);
    }

    private Document document(Path file) throws IOException {
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException("larger than " + MAX_BYTES / 1024 / 1024 + " MiB");
        }
        String name = file.getFileName().toString();
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String lower = name.toLowerCase(Locale.ROOT);
        Path dir = file.getParent();
        return new Document(id(file), name.replaceFirst("\\.[^.]*$", ""), text, !lower.endsWith(".json"),
                relative -> sibling(dir, relative));
    }

    private Optional<Document> sibling(Path dir, String relative) {
        try {
            Path p = Path.of(relative);
            if (p.isAbsolute()) {
                return Optional.empty();
            }
            Path file = dir.resolve(p).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                return Optional.empty();
            }
            return Optional.of(document(file));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private boolean hidden(Path p) {
        Path rel = root.relativize(p);
        for (Path part : rel) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static boolean declarationFile(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".json") || lower.endsWith(".yaml") || lower.endsWith(".yml");
    }

    private static String id(Path file) {
        return "file:" + file;
    }

    @Override
    public String describe() {
        return "directory " + root;
    }
}
