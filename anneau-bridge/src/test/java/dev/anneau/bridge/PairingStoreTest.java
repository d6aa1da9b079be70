package dev.anneau.bridge;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PairingStoreTest {
    @Test
    void canonicalOrigins() {
        assertEquals("https://app.example", PairingStore.canonicalOrigin("https://app.example"));
        assertEquals("https://app.example", PairingStore.canonicalOrigin("HTTPS://APP.example:443"));
        assertEquals("http://127.0.0.1:8080", PairingStore.canonicalOrigin("http://127.0.0.1:8080"));
        assertEquals("http://[::1]:8080", PairingStore.canonicalOrigin("http://[::1]:8080"));
        for (String bad : new String[] {null, "", "null", "file://", "file:///etc", "https://app.example/", "https://app.example/x",
                "https://u:p@app.example", "https://app.example?q", "https://app.example#f", "chrome-extension://abc",
                "https://app.example:0", "https://app.example:99999", "https://app .example", "https://app.example\r\nX: y",
                "https://", "//app.example"}) {
            assertNull(PairingStore.canonicalOrigin(bad), String.valueOf(bad));
        }
    }

    @Test
    void claimNeedsApprovalAndTheMatchingRequestAndWorksOnce() throws Exception {
        Path dir = Files.createTempDirectory("anneau-store");
        PairingStore s = new PairingStore(dir);
        String code = s.addPending("https://a.example");
        assertNull(s.claim("https://a.example", code), "not approved yet");
        s.approve("https://a.example");
        assertNull(s.claim("https://a.example", "WRONG-1"), "another request's code");
        String token = s.claim("https://a.example", code);
        assertNotNull(token);
        assertTrue(token.length() >= 43, "256 bits, base64url");
        assertTrue(s.checkToken("https://a.example", token));
        assertFalse(s.checkToken("https://a.example", token + "x"));
        assertFalse(s.checkToken("https://b.example", token));
        String code2 = s.addPending("https://a.example");
        assertNull(s.claim("https://a.example", code2), "a second claim needs a fresh approval");
        s.approve("https://a.example");
        assertFalse(s.checkToken("https://a.example", token), "re-approval retires the old token");
        String token2 = s.claim("https://a.example", code2);
        assertNotNull(token2);
        assertNotEquals(token, token2);
        assertFalse(Files.readString(s.file()).contains(token2), "only the hash is written");
    }
}
