package dev.anneau.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ReadmeExampleTest {
    @Test
    void exampleComputesReluOfSum() {
        // x + bias = [1, -1, 5, -2, -6, -2]; relu keeps the positives
        assertArrayEquals(new float[] {1, 0, 5, 0, 0, 0}, ReadmeExample.run());
    }

    @Test
    void readmeShowsExactlyThisExample() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("README.md"))) root = root.getParent();
        assertTrue(root != null, "README.md not found above " + Path.of("").toAbsolutePath());
        String readme = Files.readString(root.resolve("README.md"));
        String source = Files.readString(root.resolve(
                "anneau-backend-cpu/src/test/java/dev/anneau/examples/ReadmeExample.java"));
        String snippet = between(source, "// README-EXAMPLE-BEGIN", "// README-EXAMPLE-END");
        assertTrue(readme.contains(snippet), "README.md must contain the example of ReadmeExample.java verbatim:\n" + snippet);
    }

    /** The lines between the markers, de-indented. */
    private static String between(String text, String begin, String end) {
        String body = text.substring(text.indexOf(begin) + begin.length(), text.indexOf(end));
        List<String> lines = body.lines().filter(l -> !l.isBlank()).toList();
        int indent = lines.stream().mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return lines.stream().map(l -> l.substring(indent)).collect(Collectors.joining("\n"));
    }
}
