package dev.braid.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README and {@code docs/} stand alone: every relative link resolves to a file of the repository (and every
 * {@code #anchor} to a heading of the page it names), and no file of the repository points at documents that live
 * outside it.
 */
class DocsLinksTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().normalize();
    /** Inline links and images: {@code [text](target)} or {@code [text](target "title")}. */
    private static final Pattern INLINE_LINK = Pattern.compile("\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    /** Reference definitions: {@code [label]: target}. */
    private static final Pattern REFERENCE = Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s+.*)?$");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:name|id)=\"([^\"]+)\"");
    private static final Pattern INLINE_CODE = Pattern.compile("`+[^`]*`+");
    /**
     * Documents that live outside the repository; built from parts so that this file does not name them itself.
     */
    private static final List<String> OUTSIDE = List.of(".." + "/shared", "CONTRACT" + ".md", "ARCHITECTURE" + ".md",
                                                        "CONTRACT" + " §");
    /** Directories that are not the repository's own content. */
    private static final Set<String> SKIPPED = Set.of(".git", "target", "node_modules", ".idea");

    @Test
    void everyRelativeLinkResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        List<Path> pages = pages();
        assertThat(pages).as("README.md and docs/*.md").hasSizeGreaterThan(5);
        for (Path page : pages) {
            for (Link link : links(page)) {
                String problem = problem(page, link.target());
                if (problem != null) {
                    broken.add(ROOT.relativize(page) + ":" + link.line() + ": " + link.target() + ": " + problem);
                }
            }
        }
        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void noFileNamesDocumentsOutsideTheRepository() throws IOException {
        List<String> mentions = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : (Iterable<Path>) files.filter(this::ownFile)::iterator) {
                String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                for (String outside : OUTSIDE) {
                    String needle = new String(outside.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
                    if (text.contains(needle)) {
                        mentions.add(ROOT.relativize(file) + " mentions " + outside);
                    }
                }
            }
        }
        assertThat(mentions).as("the repository documents itself in its own words (README.md, docs/)").isEmpty();
    }

    private boolean ownFile(Path file) {
        Path relative = ROOT.relativize(file);
        for (Path part : relative) {
            if (SKIPPED.contains(part.toString())) {
                return false;
            }
        }
        return Files.isRegularFile(file);
    }

    /** README.md and every Markdown page under docs/. */
    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    record Link(int line, String target) {
    }

    /** The link targets of a page, outside fenced code blocks and inline code. */
    static List<Link> links(Path page) throws IOException {
        List<Link> links = new ArrayList<>();
        boolean inCode = false;
        int number = 0;
        for (String line : Files.readAllLines(page)) {
            number++;
            if (line.stripLeading().startsWith("```")) {
                inCode = !inCode;
                continue;
            }
            if (inCode) {
                continue;
            }
            String text = INLINE_CODE.matcher(line).replaceAll("");
            Matcher inline = INLINE_LINK.matcher(text);
            while (inline.find()) {
                links.add(new Link(number, inline.group(1)));
            }
            Matcher reference = REFERENCE.matcher(text);
            if (reference.matches()) {
                links.add(new Link(number, reference.group(1)));
            }
        }
        return links;
    }

    /** What is wrong with {@code target} as a link from {@code page}, or {@code null} when it resolves. */
    private static String problem(Path page, String target) throws IOException {
        if (target.matches("(?i)[a-z][a-z0-9+.-]*:.*")) {
            return null; // https:, mailto: ... : not a file of the repository
        }
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = path.isEmpty() ? page : page.getParent().resolve(path).normalize();
        if (!resolved.startsWith(ROOT)) {
            return "points outside the repository";
        }
        if (!Files.exists(resolved)) {
            return "no such file";
        }
        if (anchor != null && !anchor.isEmpty() && resolved.toString().endsWith(".md")
            && !anchors(resolved).contains(anchor)) {
            return "no heading with anchor #" + anchor + " in " + ROOT.relativize(resolved);
        }
        return null;
    }

    /** The anchors GitHub gives a page's headings (and explicit {@code <a name>} anchors). */
    static Set<String> anchors(Path page) throws IOException {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean inCode = false;
        for (String line : Files.readAllLines(page)) {
            if (line.stripLeading().startsWith("```")) {
                inCode = !inCode;
                continue;
            }
            if (inCode) {
                continue;
            }
            Matcher explicit = HTML_ANCHOR.matcher(line);
            while (explicit.find()) {
                anchors.add(explicit.group(1));
            }
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String slug = slug(heading.group(1));
                int count = seen.merge(slug, 1, Integer::sum);
                anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
            }
        }
        return anchors;
    }

    /**
     * GitHub's heading anchor: the heading's text (links reduced to their text), lower-cased, without punctuation other
     * than '-' and '_', spaces turned into '-'.
     */
    static String slug(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").toLowerCase(Locale.ROOT);
        StringBuilder slug = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                slug.appendCodePoint(c);
            } else if (c == ' ') {
                slug.append('-');
            }
        });
        return slug.toString();
    }
}
