package io.connectaws.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Image size two ways: uncompressed (what `docker image inspect` reports, what a task's disk holds) and as
 * compressed layers (each layer tar gzipped at the default level, as `docker push` does: what ECR stores and a
 * Fargate task pulls).
 */
final class ImageSizes {

    private ImageSizes() {
    }

    static void run(Settings settings, Results results) throws IOException {
        Measurement uncompressed = results.measure("image.uncompressed", "Image size, uncompressed", "MiB", false, 0.3);
        Measurement compressed = results.measure("image.compressed", "Image size, compressed layers", "MiB", false, 0.3);
        for (Flavour flavour : settings.flavours) {
            long size = Long.parseLong(Shell.run("docker", "image", "inspect", "-f", "{{.Size}}", flavour.image).trim());
            uncompressed.add(flavour.label, size / 1048576.0);
            compressed.add(flavour.label, compressedLayers(flavour.image) / 1048576.0);
            results.versions.put("image." + flavour.label, flavour.image + " "
                    + Shell.run("docker", "image", "inspect", "-f", "{{.Id}}", flavour.image).trim());
        }
    }

    /** Sum over the image's layers of the gzipped size of each layer tar. */
    static long compressedLayers(String image) throws IOException {
        Path dir = Files.createTempDirectory("bench-image-");
        try {
            Path tar = dir.resolve("image.tar");
            Shell.run("docker", "save", "-o", tar.toString(), image);
            Path extracted = Files.createDirectories(dir.resolve("x"));
            Shell.run("tar", "-xf", tar.toString(), "-C", extracted.toString());
            Files.delete(tar);
            JsonNode manifest = Rest.JSON.readTree(extracted.resolve("manifest.json").toFile());
            long total = 0;
            for (JsonNode layer : manifest.get(0).get("Layers")) {
                total += gzippedSize(extracted.resolve(layer.asText()));
            }
            return total;
        } finally {
            try (var paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static long gzippedSize(Path file) throws IOException {
        CountingSink sink = new CountingSink();
        try (InputStream in = Files.newInputStream(file); OutputStream gz = new GZIPOutputStream(sink, 1 << 16)) {
            in.transferTo(gz);
        }
        return sink.count;
    }

    private static final class CountingSink extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
