package io.connectaws.it.apicurio;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The registry's in-memory storage with Apicurio Registry 2.6's semantics: artifacts in groups, each with numbered
 * versions; every version has a global id, and identical content shares one content id; rules (VALIDITY,
 * COMPATIBILITY) globally and per artifact, the artifact's own taking precedence. Avro artifacts only.
 */
final class Registry {

    /** Stored content: its text and SHA-256, the registry's content hash. */
    record Content(long id, String text, String hash) {
    }

    /** One artifact version. */
    record Version(String groupId, String artifactId, String version, long globalId, long contentId, Instant createdOn) {
    }

    private static final class Artifact {
        final String groupId;
        final String artifactId;
        final Instant createdOn;
        final List<Version> versions = new ArrayList<>();
        final Map<String, String> rules = new TreeMap<>();

        Artifact(String groupId, String artifactId, Instant createdOn) {
            this.groupId = groupId;
            this.artifactId = artifactId;
            this.createdOn = createdOn;
        }
    }

    private final Map<String, Artifact> artifacts = new LinkedHashMap<>();
    private final Map<Long, Content> contents = new TreeMap<>();
    private final Map<String, Content> contentByHash = new LinkedHashMap<>();
    private final Map<Long, Version> versionsByGlobalId = new TreeMap<>();
    private final Map<String, String> globalRules = new TreeMap<>();
    private long nextGlobalId = 1;
    private long nextContentId = 1;

    /**
     * Creates the artifact, or acts on an existing one as {@code ifExists} says (FAIL, UPDATE, RETURN,
     * RETURN_OR_UPDATE), checking the rules before any new version.
     */
    synchronized Version create(String groupId, String artifactId, String type, String content, String ifExists,
                                boolean canonical) {
        if (type != null && !type.equals("AVRO")) {
            throw RegistryError.badRequest("This registry stand-in serves Avro artifacts only, not " + type);
        }
        AvroRules.parse(content);
        Artifact artifact = artifacts.get(key(groupId, artifactId));
        if (artifact == null) {
            artifact = new Artifact(groupId, artifactId, Instant.now());
            artifacts.put(key(groupId, artifactId), artifact);
            return addVersion(artifact, content);
        }
        switch (ifExists == null ? "FAIL" : ifExists) {
            case "FAIL" -> throw new RegistryError(409, "ArtifactAlreadyExistsException",
                    "An artifact with ID '" + artifactId + "' in group '" + groupId + "' already exists.");
            case "RETURN" -> {
                return latest(artifact);
            }
            case "RETURN_OR_UPDATE" -> {
                Optional<Version> same = byContent(artifact, content, canonical);
                if (same.isPresent()) {
                    return same.get();
                }
            }
            case "UPDATE" -> {
            }
            default -> throw RegistryError.badRequest("ifExists must be FAIL, UPDATE, RETURN or RETURN_OR_UPDATE, not "
                    + ifExists);
        }
        return update(groupId, artifactId, content);
    }

    /** A new version of an existing artifact (POST .../versions and ifExists=UPDATE). */
    synchronized Version update(String groupId, String artifactId, String content) {
        Artifact artifact = artifact(groupId, artifactId);
        applyRules(artifact, content);
        return addVersion(artifact, content);
    }

    synchronized Version latest(String groupId, String artifactId) {
        return latest(artifact(groupId, artifactId));
    }

    synchronized Version version(String groupId, String artifactId, String version) {
        Artifact artifact = artifact(groupId, artifactId);
        String wanted = version.equals("latest") ? latest(artifact).version() : version;
        return artifact.versions.stream().filter(v -> v.version().equals(wanted)).findFirst()
                .orElseThrow(() -> new RegistryError(404, "VersionNotFoundException", "No version '" + version
                        + "' found for artifact with ID '" + artifactId + "' in group '" + groupId + "'."));
    }

    synchronized List<Version> versions(String groupId, String artifactId) {
        return List.copyOf(artifact(groupId, artifactId).versions);
    }

    /** The version of the artifact whose content equals {@code content} (POST .../meta). */
    synchronized Version byContent(String groupId, String artifactId, String content, boolean canonical) {
        return byContent(artifact(groupId, artifactId), content, canonical).orElseThrow(() -> new RegistryError(404,
                "ArtifactNotFoundException", "No version of artifact with ID '" + artifactId + "' in group '" + groupId
                        + "' has this content."));
    }

    synchronized Version byGlobalId(long globalId) {
        return found(versionsByGlobalId, globalId, "ArtifactNotFoundException", "artifact with global ID");
    }

    synchronized Content content(long contentId) {
        return found(contents, contentId, "ContentNotFoundException", "content with ID");
    }

    synchronized Content contentByHash(String hash) {
        return found(contentByHash, hash, "ContentNotFoundException", "content with hash");
    }

    /** The entry under {@code key}, or the registry's 404 with error {@code name}: "No {@code what} 'key' was found." */
    private static <K, V> V found(Map<K, V> map, K key, String name, String what) {
        V value = map.get(key);
        if (value == null) {
            throw new RegistryError(404, name, "No " + what + " '" + key + "' was found.");
        }
        return value;
    }

    /** Sets a global rule (POST/PUT /admin/rules). */
    synchronized void setGlobalRule(String type, String config) {
        globalRules.put(checkRule(type, config), config);
    }

    synchronized Map<String, String> globalRules() {
        return Map.copyOf(globalRules);
    }

    /** Sets a rule of one artifact (POST .../rules). */
    synchronized void setArtifactRule(String groupId, String artifactId, String type, String config) {
        artifact(groupId, artifactId).rules.put(checkRule(type, config), config);
    }

    synchronized Map<String, String> artifactRules(String groupId, String artifactId) {
        return Map.copyOf(artifact(groupId, artifactId).rules);
    }

    synchronized Instant createdOn(String groupId, String artifactId) {
        return artifact(groupId, artifactId).createdOn;
    }

    private static String checkRule(String type, String config) {
        List<String> allowed = switch (type == null ? "" : type) {
            case "COMPATIBILITY" -> AvroRules.LEVELS;
            case "VALIDITY" -> AvroRules.VALIDITY_LEVELS;
            default -> throw RegistryError.badRequest("Rule type must be COMPATIBILITY or VALIDITY (the rules this "
                    + "stand-in applies), not " + type);
        };
        if (!allowed.contains(config)) {
            throw RegistryError.badRequest("Invalid " + type + " rule config '" + config + "': use one of " + allowed);
        }
        return type;
    }

    private void applyRules(Artifact artifact, String content) {
        String compatibility = artifact.rules.getOrDefault("COMPATIBILITY", globalRules.get("COMPATIBILITY"));
        if (compatibility != null) {
            List<String> existing = artifact.versions.stream().map(v -> contents.get(v.contentId()).text()).toList();
            AvroRules.checkCompatibility(compatibility, existing, content);
        }
    }

    private Version addVersion(Artifact artifact, String text) {
        String hash = sha256(text);
        Content content = contentByHash.computeIfAbsent(hash, h -> {
            Content c = new Content(nextContentId++, text, h);
            contents.put(c.id(), c);
            return c;
        });
        int number = artifact.versions.size() + 1;
        Version v = new Version(artifact.groupId, artifact.artifactId, Integer.toString(number), nextGlobalId++,
                content.id(), Instant.now());
        artifact.versions.add(v);
        versionsByGlobalId.put(v.globalId(), v);
        return v;
    }

    private Optional<Version> byContent(Artifact artifact, String content, boolean canonical) {
        String wanted = canonical ? AvroRules.canonical(content) : content;
        for (int i = artifact.versions.size() - 1; i >= 0; i--) {
            Version v = artifact.versions.get(i);
            String text = contents.get(v.contentId()).text();
            if ((canonical ? AvroRules.canonical(text) : text).equals(wanted)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    private Artifact artifact(String groupId, String artifactId) {
        Artifact a = artifacts.get(key(groupId, artifactId));
        if (a == null) {
            throw RegistryError.artifactNotFound(groupId, artifactId);
        }
        return a;
    }

    private static Version latest(Artifact artifact) {
        return artifact.versions.get(artifact.versions.size() - 1);
    }

    private static String key(String groupId, String artifactId) {
        return groupId + "\u0000" + artifactId;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
