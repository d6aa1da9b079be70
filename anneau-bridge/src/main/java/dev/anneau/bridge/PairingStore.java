package dev.anneau.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The origins a user has paired, in a small JSON file ({@code pairing.json} in the state directory)
 * shared by the running service and the {@code anneau pair} command. Only the CLI approves or revokes;
 * the service adds pending requests (what pages asked for) and, when an approved origin's page
 * claims it, the SHA-256 of the token it hands that page. Tokens themselves are never stored.
 * Every change happens under an OS file lock and is written atomically.
 */
public final class PairingStore {
    /** One origin's state. */
    public record Entry(String origin, boolean approved, String approvedAt, boolean claimed, String pendingCode, String requestedAt) {}

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper MAPPER = Frames.mapper(4 * 1024 * 1024);
    private static final String CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private final Path dir;
    private final Path file;
    private final Path lockFile;

    public PairingStore(Path dir) {
        this.dir = dir;
        this.file = dir.resolve("pairing.json");
        this.lockFile = dir.resolve("pairing.lock");
    }

    /**
     * {@code -Danneau.stateDir}, else {@code $ANNEAU_HOME}, else {@code ~/.anneau}. (Not {@code -Danneau.home}: the
     * launcher sets that to the checkout, and pairings must not land in a source tree.)
     */
    public static Path defaultDir() {
        String p = System.getProperty("anneau.stateDir");
        if (p == null || p.isBlank()) p = System.getenv("ANNEAU_HOME");
        if (p == null || p.isBlank()) return Path.of(System.getProperty("user.home"), ".anneau");
        return Path.of(p);
    }

    public Path file() { return file; }

    // ------------------------------------------------------------------ origins

    /**
     * The canonical form of a web origin ({@code scheme://host[:port]}, lower case, default port
     * dropped), or null when {@code s} is not one (including the opaque {@code "null"} origin).
     */
    public static String canonicalOrigin(String s) {
        if (s == null || s.isEmpty() || s.length() > 2048 || s.equals("null")) return null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f) return null;
        }
        URI u;
        try {
            u = new URI(s);
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) return null;
        if (u.getRawUserInfo() != null || u.getRawQuery() != null || u.getRawFragment() != null) return null;
        if (u.getRawPath() != null && !u.getRawPath().isEmpty()) return null;
        String host = u.getHost();
        if (host == null || host.isEmpty()) return null;
        host = host.toLowerCase(Locale.ROOT);
        int port = u.getPort();
        if (port == 0 || port > 65535) return null;
        if (port == ("https".equals(scheme) ? 443 : 80)) port = -1;
        return scheme + "://" + host + (port == -1 ? "" : ":" + port);
    }

    // ------------------------------------------------------------------ queries

    public List<Entry> list() {
        ObjectNode root = read();
        List<Entry> out = new ArrayList<>();
        ObjectNode origins = obj(root, "origins");
        ObjectNode pending = obj(root, "pending");
        for (Iterator<String> it = origins.fieldNames(); it.hasNext(); ) {
            String o = it.next();
            JsonNode e = origins.get(o);
            JsonNode p = pending.get(o);
            out.add(new Entry(o, true, text(e, "approvedAt"), text(e, "tokenSha256") != null,
                    p == null ? null : text(p, "code"), p == null ? null : text(p, "requestedAt")));
        }
        for (Iterator<String> it = pending.fieldNames(); it.hasNext(); ) {
            String o = it.next();
            if (origins.has(o)) continue;
            JsonNode p = pending.get(o);
            out.add(new Entry(o, false, null, false, text(p, "code"), text(p, "requestedAt")));
        }
        return out;
    }

    public boolean isApproved(String origin) {
        return origin != null && obj(read(), "origins").has(origin);
    }

    /** True when {@code token} is the one handed to {@code origin}'s page (constant-time compare). */
    public boolean checkToken(String origin, String token) {
        if (origin == null || token == null || token.isEmpty() || token.length() > 256) return false;
        JsonNode e = obj(read(), "origins").get(origin);
        String want = e == null ? null : text(e, "tokenSha256");
        if (want == null) return false;
        return MessageDigest.isEqual(want.getBytes(StandardCharsets.US_ASCII), sha256(token).getBytes(StandardCharsets.US_ASCII));
    }

    // ------------------------------------------------------------------ changes (CLI)

    /** Approves an origin (a fresh approval: a token issued earlier stops working). Returns its canonical form. */
    public String approve(String origin) {
        String o = canonicalOrigin(origin);
        if (o == null) throw new IllegalArgumentException("not a web origin (scheme://host[:port]): " + origin);
        update(root -> {
            ObjectNode e = MAPPER.createObjectNode();
            e.put("approvedAt", Instant.now().toString());
            obj(root, "origins").set(o, e);
            return null;
        });
        return o;
    }

    /** Approves the origin whose pending request shows {@code code}; returns it, or null when no request has that code. */
    public String approveCode(String code) {
        String want = code.trim().toUpperCase(Locale.ROOT).replace("-", "");
        for (Entry e : list()) {
            if (e.pendingCode() != null && e.pendingCode().replace("-", "").equals(want)) return approve(e.origin());
        }
        return null;
    }

    /** Removes an origin's approval and token; returns whether it was there. */
    public boolean revoke(String origin) {
        String o = canonicalOrigin(origin);
        String key = o == null ? origin : o;
        return update(root -> {
            boolean had = obj(root, "origins").remove(key) != null;
            had |= obj(root, "pending").remove(key) != null;
            return had;
        });
    }

    // ------------------------------------------------------------------ changes (service)

    /** Records a page's pairing request; returns the code the page shows so the user can match it. */
    public String addPending(String origin) {
        String code = newCode();
        update(root -> {
            ObjectNode p = MAPPER.createObjectNode();
            p.put("code", code);
            p.put("requestedAt", Instant.now().toString());
            obj(root, "pending").set(origin, p);
            return null;
        });
        return code;
    }

    public void removePending(String origin, String code) {
        update(root -> {
            JsonNode p = obj(root, "pending").get(origin);
            if (p != null && code.equals(text(p, "code"))) obj(root, "pending").remove(origin);
            return null;
        });
    }

    /**
     * When {@code origin} is approved and no token was issued since the approval, issues one (the
     * caller hands it to the page that is waiting) and clears the pending request; otherwise null.
     */
    public String claim(String origin, String code) {
        return update(root -> {
            JsonNode e = obj(root, "origins").get(origin);
            JsonNode p = obj(root, "pending").get(origin);
            if (!(e instanceof ObjectNode entry) || text(entry, "tokenSha256") != null) return null;
            if (p == null || !code.equals(text(p, "code"))) return null;
            byte[] raw = new byte[32]; // 256 bits
            RANDOM.nextBytes(raw);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            entry.put("tokenSha256", sha256(token));
            entry.put("claimedAt", Instant.now().toString());
            obj(root, "pending").remove(origin);
            return token;
        });
    }

    // ------------------------------------------------------------------ file handling

    private static String newCode() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            if (i == 3) b.append('-');
            b.append(CODE_ALPHABET.charAt(RANDOM.nextInt(CODE_ALPHABET.length())));
        }
        return b.toString();
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode obj(ObjectNode root, String key) {
        JsonNode n = root.get(key);
        if (n instanceof ObjectNode o) return o;
        return root.putObject(key);
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n == null ? null : n.get(key);
        return v == null || !v.isTextual() ? null : v.textValue();
    }

    private synchronized ObjectNode read() {
        try {
            if (!Files.exists(file)) return MAPPER.createObjectNode();
            JsonNode n = MAPPER.readTree(Files.readAllBytes(file));
            return n instanceof ObjectNode o ? o : MAPPER.createObjectNode();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the pairing file", e);
        }
    }

    private synchronized <T> T update(Function<ObjectNode, T> change) {
        try {
            ensureDir();
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                ObjectNode root = read();
                root.put("version", 1);
                T result = change.apply(root);
                Path tmp = Files.createTempFile(dir, "pairing", ".tmp");
                try {
                    Files.write(tmp, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
                    replaceWith(tmp, file);
                } finally {
                    Files.deleteIfExists(tmp);
                }
                return result;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update the pairing file", e);
        }
    }

    private void ensureDir() throws IOException {
        if (Files.isDirectory(dir)) return;
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
    }

    @Override
    public String toString() { return "PairingStore(" + file + ")"; }


    /** Moves a fully written temporary file over {@code file}, atomically where the file system can. */
    static void replaceWith(Path tmp, Path file) throws IOException {
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
