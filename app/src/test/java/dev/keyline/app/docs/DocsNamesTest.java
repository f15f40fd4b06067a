package dev.keyline.app.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyline.adapters.providers.ProviderRegistry;
import dev.keyline.adapters.providers.common.DefaultBase;
import dev.keyline.adapters.providers.common.ProviderDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The docs name real things: every class, {@code Class.method} and repository path quoted in backticks in the
 * README and {@code docs/*.md} exists, the module picture shows exactly the modules the parent pom builds, and the
 * provider table is the registry's. A rename that forgets the docs fails here, not in a newcomer's hands.
 */
class DocsNamesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern QUOTED = Pattern.compile("`([^`\\n]+)`");
    /** {@code SomeClass}, {@code SomeClass.method} or {@code SomeClass.method(…)}: at least two capitalised humps. */
    private static final Pattern CLASS_NAME =
            Pattern.compile("([A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+)(?:\\.([a-z][A-Za-z0-9]*)(?:\\(.*\\))?)?");

    private static final Pattern PATH = Pattern.compile("[\\w.-]+(?:/[\\w.-]+)+/?|[\\w-]+\\.java");
    private static final Pattern DECLARATION = Pattern.compile(
            "(?:class|record|interface|enum)\\s+([A-Z]\\w*)|import\\s+(?:static\\s+)?[\\w.]+\\.([A-Z]\\w*);");
    /** Output the tools write, not sources: quoted paths through these are not checked (they exist after a run). */
    private static final Set<String> GENERATED = Set.of("target", ".peers", "conformance-out");

    private static final Map<String, List<Path>> declaredIn = new HashMap<>();
    private static final Set<String> fileNames = new HashSet<>();
    private static final StringBuilder allJava = new StringBuilder();

    @BeforeAll
    static void readTheCode() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            files.filter(Files::isRegularFile)
                    .filter(f -> Stream.of("/target/", "/.git/", "/.peers/", "/node_modules/")
                            .noneMatch(f.toString()::contains))
                    .forEach(f -> {
                        fileNames.add(f.getFileName().toString());
                        if (f.toString().endsWith(".java")) {
                            String code = read(f);
                            allJava.append(code).append('\n');
                            Matcher m = DECLARATION.matcher(code);
                            while (m.find()) {
                                String name = m.group(1) != null ? m.group(1) : m.group(2);
                                declaredIn
                                        .computeIfAbsent(name, k -> new ArrayList<>())
                                        .add(f);
                            }
                        }
                    });
        }
    }

    @Test
    void everyClassMethodAndPathTheDocsQuote_exists() throws IOException {
        List<String> missing = new ArrayList<>();
        for (Path doc : docs()) {
            Matcher quoted = QUOTED.matcher(read(doc));
            while (quoted.find()) {
                check(doc, quoted.group(1).strip()).ifPresent(missing::add);
            }
        }
        assertEquals(List.of(), missing, "names quoted in the docs that the code does not have");
    }

    @Test
    void theModulePicture_showsExactlyTheModulesThePomBuilds() {
        String pom = read(ROOT.resolve("pom.xml"));
        String architecture = read(ROOT.resolve("docs/architecture.md"));
        Matcher module = Pattern.compile("<module>([\\w-]+)</module>").matcher(pom);
        List<String> modules = new ArrayList<>();
        while (module.find()) {
            modules.add(module.group(1));
        }
        assertTrue(modules.size() >= 10, "modules read from the pom: " + modules);
        for (String name : modules) {
            assertTrue(architecture.contains(name), "docs/architecture.md does not show module " + name);
        }
        Matcher shown = Pattern.compile("(?<![\\w/.-])(adapters-[a-z]+)").matcher(architecture);
        while (shown.find()) {
            assertTrue(
                    modules.contains(shown.group(1)),
                    "docs/architecture.md shows a module the pom lacks: " + shown.group(1));
        }
    }

    @Test
    void theProviderTable_showsEveryRegisteredProvider_withItsDefaultHost() {
        String configuration = read(ROOT.resolve("docs/configuration.md"));
        ProviderRegistry registry = ProviderRegistry.standard();
        for (String name : registry.names()) {
            ProviderDescriptor provider = registry.find(name).orElseThrow();
            Matcher row = Pattern.compile("(?m)^\\| `" + name + "` \\|.*$").matcher(configuration);
            assertTrue(row.find(), "docs/configuration.md has no row for provider " + name);
            String host = switch (provider.defaultBase()) {
                case DefaultBase.None none -> "none";
                case DefaultBase.AnyModel any -> any.base();
                case DefaultBase.OwnModels own -> own.base();
                case DefaultBase.Cloud cloud -> cloud.template();
            };
            assertTrue(
                    row.group().contains(host), "the row of " + name + " does not show " + host + ": " + row.group());
        }
    }

    private static Optional<String> check(Path doc, String text) {
        String where = ROOT.relativize(doc) + ": `" + text + "`";
        if (Stream.of("<", "*", "…", " ", "{", "://").anyMatch(text::contains)) {
            return Optional.empty();
        }
        Matcher name = CLASS_NAME.matcher(text);
        if (name.matches()) {
            List<Path> files = declaredIn.getOrDefault(name.group(1), List.of());
            if (files.isEmpty()) {
                // Not a Keyline type: a JDK class, or a name the code handles (a LiteLLM policy key, a tool name).
                boolean known = isJdkClass(name.group(1)) || appearsInTheCode(name.group(1));
                return known ? Optional.empty() : Optional.of(where + " (no such type)");
            }
            String method = name.group(2);
            if (method != null && files.stream().noneMatch(f -> read(f).contains(method))) {
                return Optional.of(where + " (no such member)");
            }
            return Optional.empty();
        }
        if (!PATH.matcher(text).matches()) {
            return Optional.empty();
        }
        if (text.contains("/") && isRepositoryPath(text)) {
            String path = text.replaceAll("/$", "");
            int elided = path.indexOf("/.../");
            boolean exists = elided >= 0
                    ? existsUnder(path.substring(0, elided), path.substring(elided + 5))
                    : Files.exists(ROOT.resolve(path))
                            || Files.exists(doc.getParent().resolve(path));
            return exists ? Optional.empty() : Optional.of(where + " (no such file)");
        }
        if (!text.contains("/") && text.endsWith(".java") && !fileNames.contains(text)) {
            return Optional.of(where + " (no such file)");
        }
        return Optional.empty();
    }

    /** A path into this repository's sources, not an API route or a path on the operator's machine. */
    private static boolean isRepositoryPath(String text) {
        String[] segments = text.split("/");
        return !segments[0].isEmpty()
                && Arrays.stream(segments).noneMatch(GENERATED::contains)
                && Files.isDirectory(ROOT.resolve(segments[0]));
    }

    /** @return whether a file under {@code dir} has a path ending with {@code tail} ({@code module/.../Name.java}) */
    private static boolean existsUnder(String dir, String tail) {
        try (Stream<Path> files = Files.walk(ROOT.resolve(dir))) {
            return files.anyMatch(
                    f -> f.toString().endsWith("/" + tail) && !f.toString().contains("/target/"));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean appearsInTheCode(String word) {
        return Pattern.compile("\\b" + word + "\\b").matcher(allJava).find();
    }

    private static boolean isJdkClass(String simpleName) {
        return ModuleLayer.boot().modules().stream()
                .filter(m -> m.getName().startsWith("java."))
                .flatMap(m -> m.getPackages().stream())
                .anyMatch(pkg -> {
                    try {
                        Class.forName(pkg + "." + simpleName, false, ClassLoader.getPlatformClassLoader());
                        return true;
                    } catch (ClassNotFoundException | LinkageError e) {
                        return false;
                    }
                });
    }

    private static List<Path> docs() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
