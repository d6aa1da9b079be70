package dev.anneau.bridge;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The public, static files the service hands out: the JavaScript client ({@code /client/NAME.js}, copied from
 * {@code clients/js/src} into the jar at build time) and the demo page ({@code /} and {@code /NAME.js|css},
 * from {@code clients/js/demo}). They hold no data and no secrets. Only names matching a strict pattern are
 * looked up (no path traversal), from the class path, once.
 */
final class StaticFiles {
    static final String CLIENT_PREFIX = "/client/";
    private static final Pattern CLIENT = Pattern.compile("/client/[a-z][a-z0-9-]{0,63}\\.js");
    private static final Pattern SITE = Pattern.compile("/|/[a-z][a-z0-9-]{0,63}\\.(js|css|html)");
    private static final String CLIENT_DIR = "/dev/anneau/bridge/client/";
    private static final String SITE_DIR = "/dev/anneau/bridge/site/";

    /** A file: its bytes and content type; {@code client} when it is part of the JS client (loaded cross-origin). */
    record File(byte[] bytes, String contentType, boolean client) {}

    private final Map<String, Optional<File>> cache = new ConcurrentHashMap<>();

    /** True when {@code path} names a static file (whether or not it exists). */
    static boolean isStaticPath(String path) {
        return CLIENT.matcher(path).matches() || SITE.matcher(path).matches();
    }

    /** The file at {@code path}, or empty. */
    Optional<File> get(String path) {
        if (!isStaticPath(path)) return Optional.empty();
        return cache.computeIfAbsent(path, StaticFiles::load);
    }

    private static Optional<File> load(String path) {
        boolean client = path.startsWith(CLIENT_PREFIX);
        String resource = client ? CLIENT_DIR + path.substring(CLIENT_PREFIX.length())
                : SITE_DIR + (path.equals("/") ? "index.html" : path.substring(1));
        try (InputStream in = StaticFiles.class.getResourceAsStream(resource)) {
            if (in == null) return Optional.empty();
            return Optional.of(new File(in.readAllBytes(), contentType(resource), client));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static String contentType(String name) {
        if (name.endsWith(".js")) return "text/javascript; charset=utf-8";
        if (name.endsWith(".css")) return "text/css; charset=utf-8";
        return "text/html; charset=utf-8";
    }
}
