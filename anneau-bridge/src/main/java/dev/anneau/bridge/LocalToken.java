package dev.anneau.bridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The token of non-browser clients (programs, scripts, curl) for the inference endpoint: 256 random
 * bits, created at the first start in the state directory ({@code local-token}, readable by the owner
 * only) and sent as {@code Authorization: Bearer TOKEN}. Browser pages never use it: a request that
 * carries an {@code Origin} must use that origin's pairing token. {@code anneau pair token} prints it,
 * {@code anneau pair token --rotate} replaces it.
 *
 * <p>A token file that others can read, that is a link or that is malformed is never trusted: it is
 * replaced by a fresh token.
 */
public final class LocalToken {
    private static final System.Logger LOG = System.getLogger("dev.anneau.bridge");
    public static final String FILE_NAME = "local-token";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path file;
    private final byte[] token;

    private LocalToken(Path file, String token) {
        this.file = file;
        this.token = token.getBytes(StandardCharsets.US_ASCII);
    }

    /** The state directory's token, created (owner-only) when missing or not trustworthy. */
    public static LocalToken loadOrCreate(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        try {
            String existing = readTrusted(file);
            if (existing != null) return new LocalToken(file, existing);
            return new LocalToken(file, write(dir, file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the local token in the state directory", e);
        }
    }

    /** Replaces the token: clients holding the old one are refused from now on (a running service re-reads the file). */
    public static LocalToken rotate(Path dir) {
        try {
            return new LocalToken(dir.resolve(FILE_NAME), write(dir, dir.resolve(FILE_NAME)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the local token in the state directory", e);
        }
    }

    public Path file() { return file; }

    /** The token itself (to print for the user; never log it). */
    public String value() { return new String(token, StandardCharsets.US_ASCII); }

    /** Constant-time comparison with a presented token. */
    public boolean matches(String presented) {
        if (presented == null || presented.length() != token.length) return false;
        return MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.US_ASCII));
    }

    /** The file's token, or null when it is missing, a link, readable by others or malformed. */
    private static String readTrusted(Path file) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) return null;
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            LOG.log(System.Logger.Level.WARNING, "the local token file is not a regular file; replacing it");
            return null;
        }
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            if (!OWNER_ONLY.containsAll(p)) {
                LOG.log(System.Logger.Level.WARNING, "the local token file was readable by others; issuing a new token");
                return null;
            }
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: rely on the directory's protection
        }
        if (Files.size(file) > 256) return null;
        String t = Files.readString(file, StandardCharsets.US_ASCII).trim();
        return FORMAT.matcher(t).matches() ? t : null;
    }

    /** Writes a fresh token: a new owner-only file moved over the old one atomically. */
    private static String write(Path dir, Path file) throws IOException {
        ensureDir(dir);
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String t = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Path tmp = dir.resolve(FILE_NAME + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
        try {
            createOwnerOnly(tmp);
            Files.writeString(tmp, t + "\n", StandardCharsets.US_ASCII);
            PairingStore.replaceWith(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return t;
    }

    private static void createOwnerOnly(Path p) throws IOException {
        try {
            FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
            Files.createFile(p, attr);
            Files.setPosixFilePermissions(p, OWNER_ONLY); // the umask may have removed bits, never added: make it exact
        } catch (UnsupportedOperationException e) {
            Files.createFile(p);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("a temporary token file already exists", e);
        }
    }

    private static void ensureDir(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
    }
}
