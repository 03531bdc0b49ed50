package dev.braid.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;

/**
 * One node of the configuration tree, read with types and defaults. Every read remembers the key, so that
 * {@link #bind(Supplier)} can reject keys nobody reads (a typo must not silently fall back to a default), and every error
 * names the absolute key and the rule.
 */
public final class Settings {
    private static final Pattern SHORT_DURATION = Pattern.compile("(-?\\d+)\\s*(ms|s|m|h)");
    private static final Pattern INDEX = Pattern.compile("\\d{1,6}");

    private final Config node;
    private final Set<String> known = new LinkedHashSet<>();
    /** Every setting read under the root this node came from, by absolute key, as it is in force (read or default). */
    private final Map<String, Object> effective;

    private Settings(Config node, Map<String, Object> effective) {
        this.node = node;
        this.effective = effective;
    }

    public static Settings of(Config node) {
        return new Settings(node, Collections.synchronizedMap(new LinkedHashMap<>()));
    }

    /**
     * Every setting read so far under the root this node came from, as it is in force: the value read, or the default
     * where none was given. Keyed like the configuration file (nested maps; a list of sections is a list), values as
     * written there (durations as {@code 150ms}, {@code 2s}). Secrets are included: the caller redacts.
     */
    public Map<String, Object> effective() {
        Map<String, Object> tree = new LinkedHashMap<>();
        synchronized (effective) {
            effective.forEach((key, value) -> put(tree, key.split("\\."), 0, value));
        }
        return listsOfSections(tree);
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> tree, String[] path, int at, Object value) {
        if (at == path.length - 1) {
            tree.put(path[at], value);
            return;
        }
        Object child = tree.get(path[at]);
        if (!(child instanceof Map)) {
            child = new LinkedHashMap<String, Object>();
            tree.put(path[at], child);
        }
        put((Map<String, Object>) child, path, at + 1, value);
    }

    /** Maps whose keys are 0, 1, 2... (the sections of a list) become lists. */
    @SuppressWarnings("unchecked")
    private static <T> T listsOfSections(Object node) {
        if (!(node instanceof Map<?, ?> map)) {
            return (T) node;
        }
        Map<String, Object> converted = new LinkedHashMap<>();
        ((Map<String, Object>) map).forEach((key, value) -> converted.put(key, listsOfSections(value)));
        boolean indexed = !converted.isEmpty() && converted.keySet().stream().allMatch(key -> INDEX.matcher(key).matches());
        if (!indexed) {
            return (T) converted;
        }
        List<Object> list = new ArrayList<>(converted.size());
        converted.entrySet().stream().sorted(Comparator.comparingInt(entry -> Integer.parseInt(entry.getKey())))
                .forEach(entry -> list.add(entry.getValue()));
        return (T) list;
    }

    private <T> T record(String key, T value, Object shown) {
        effective.put(key(key), shown);
        return value;
    }

    private <T> T record(String key, T value) {
        return record(key, value, value);
    }

    /** The absolute key of a child setting, as written in error messages and documentation. */
    public String key(String child) {
        String own = node.key().toString();
        return own.isEmpty() ? child : own + "." + child;
    }

    /** The last segment of this node's key: the name of a surface or a source in a map. */
    public String name() {
        return node.name();
    }

    public boolean has(String key) {
        known.add(key);
        return node.get(key).exists();
    }

    public Settings child(String key) {
        known.add(key);
        return new Settings(node.get(key), effective);
    }

    /** The children of an object node keyed by name, for maps such as {@code surfaces} or {@code sources}. */
    public Map<String, Settings> children(String key) {
        known.add(key);
        Map<String, Settings> children = new LinkedHashMap<>();
        for (Config child : node.get(key).asNodeList().orElse(List.of())) {
            // Environment variables add upper-case aliases; only the lower-case form is a Braid key.
            if (child.name().equals(child.name().toLowerCase(Locale.ROOT))) {
                children.put(child.name(), new Settings(child, effective));
            }
        }
        return children;
    }

    public String string(String key, String defaultValue) {
        return record(key, raw(key).orElse(defaultValue));
    }

    public int integer(String key, int defaultValue) {
        return record(key, parsed(key, defaultValue, value -> Integer.parseInt(value.trim()), "must be a whole number"));
    }

    public double decimal(String key, double defaultValue) {
        return record(key, parsed(key, defaultValue, value -> Double.parseDouble(value.trim()), "must be a number"));
    }

    public boolean bool(String key, boolean defaultValue) {
        var value = raw(key);
        if (value.isEmpty()) {
            return record(key, defaultValue);
        }
        return record(key, switch (value.get().trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidConfigException(key(key), "must be true or false (was '" + value.get() + "')");
        });
    }

    /** A duration written as {@code 150ms}, {@code 2s}, {@code 5m}, {@code 1h} or in ISO-8601 ({@code PT0.15S}). */
    public Duration duration(String key, Duration defaultValue) {
        var value = raw(key);
        Duration duration = value.isEmpty() ? defaultValue : parseDuration(key(key), value.get());
        return record(key, duration, duration == null ? null : format(duration));
    }

    /** An absolute http(s) URL. */
    public URI url(String key, URI defaultValue) {
        var value = raw(key);
        if (value.isEmpty()) {
            return record(key, defaultValue, defaultValue == null ? null : defaultValue.toString());
        }
        String text = value.get().trim();
        try {
            URI uri = new URI(text);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new InvalidConfigException(key(key), "must be an absolute http(s) URL with a host (was '" + text + "')");
            }
            return record(key, uri, uri.toString());
        } catch (URISyntaxException e) {
            throw new InvalidConfigException(key(key), "must be a URL: " + e.getReason() + " (was '" + text + "')");
        }
    }

    /** A list, written in YAML as a sequence or in one value (an environment variable) as {@code a,b,c}. */
    public List<String> list(String key, List<String> defaultValue) {
        known.add(key);
        Config child = node.get(key);
        if (!child.exists()) {
            return record(key, defaultValue);
        }
        try {
            // A single value (from an environment variable or system property) wins over the file's list below it: Helidon
            // merges them into one list node that still has the file's elements but also the overriding value.
            var single = child.asString().asOptional();
            List<String> raw = single.isPresent() ? List.of(single.get().split(",")) : child.asList(String.class).get();
            List<String> values = new ArrayList<>();
            for (String value : raw) {
                if (!value.isBlank()) {
                    values.add(value.trim());
                }
            }
            return record(key, List.copyOf(values));
        } catch (ConfigException e) {
            throw new InvalidConfigException(key(key), "must be a list of strings");
        }
    }

    /**
     * A map whose names are data rather than Braid keys (a surface's ARN, a vendor's own context keys), each entry one
     * value: {@code arns: {home: arn:...}}. Names are kept exactly as written, upper case included, in file order. Absent
     * or an empty value: an empty map.
     */
    public Map<String, String> stringMap(String key) {
        Map<String, String> values = new LinkedHashMap<>();
        Settings map = mapNode(key);
        if (map != null) {
            for (String name : map.childNames()) {
                values.put(name, map.string(name, ""));
            }
        }
        return values;
    }

    /**
     * Like {@link #stringMap}, each entry a list (a sequence, or {@code a,b,c} in one value):
     * {@code metadata-columns: {ITEMS: [TITLE, GENRE]}}.
     */
    public Map<String, List<String>> listMap(String key) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        Settings map = mapNode(key);
        if (map != null) {
            for (String name : map.childNames()) {
                values.put(name, map.list(name, List.of()));
            }
        }
        return values;
    }

    /**
     * The elements of a sequence of sections ({@code promotions: [{name: sale, percent: 10}]}), in order; each is bound
     * on its own, so its keys are {@code promotions.0.name} and so on; flat keys ({@code promotions.0.name=sale}, as
     * system properties and environment variables write them) are read the same way. Absent or an empty value: an empty
     * list.
     */
    public List<Settings> sections(String key) {
        known.add(key);
        Config child = node.get(key);
        if (!child.exists() || blankValue(child)) {
            return List.of();
        }
        if (child.isLeaf()) {
            throw new InvalidConfigException(key(key), "must be a list of sections (YAML '- name: ...' entries)");
        }
        List<Config> elements = new ArrayList<>(child.asNodeList().orElse(List.of()));
        // Flat keys (system properties, environment variables: promotions.0.name) make a map of indices, not a list.
        boolean indexed = child.type() == Config.Type.OBJECT
                          && elements.stream().allMatch(element -> INDEX.matcher(element.name()).matches());
        if (child.type() != Config.Type.LIST && !indexed) {
            throw new InvalidConfigException(key(key), "must be a list of sections (YAML '- name: ...' entries)");
        }
        if (indexed) {
            elements.sort(Comparator.comparingInt(element -> Integer.parseInt(element.name())));
        }
        List<Settings> sections = new ArrayList<>();
        for (Config element : elements) {
            if (element.type() != Config.Type.OBJECT) {
                throw new InvalidConfigException(key(key) + "." + element.name(), "must be a section of settings, not "
                                                                                  + "a single value");
            }
            sections.add(new Settings(element, effective));
        }
        return List.copyOf(sections);
    }

    /**
     * Builds a config record from this node. Rules broken in the record's compact constructor are reported with their
     * absolute key; so are keys present here that the record never read.
     */
    public <T> T bind(Supplier<T> constructor) {
        T bound = bindPart(constructor);
        rejectUnknownKeys();
        return bound;
    }

    /**
     * Builds one part of a node's settings (several records share the node): broken rules are reported with their
     * absolute key, but unknown keys are left to the {@link #bind} of the node's last part.
     */
    public <T> T bindPart(Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (Rule.BrokenRule broken) {
            throw new InvalidConfigException(key(broken.key()), broken.getMessage());
        }
    }

    private void rejectUnknownKeys() {
        if (!node.exists() || node.isLeaf()) {
            return;
        }
        List<String> problems = new ArrayList<>();
        for (Config child : node.asNodeList().orElse(List.of())) {
            String name = child.name();
            boolean envAlias = !name.equals(name.toLowerCase(Locale.ROOT));
            if (!envAlias && !known.contains(name)) {
                problems.add(key(name) + ": unknown setting; known here: " + String.join(", ", known));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
    }

    /** The map node under {@code key}, or null when absent or written as an empty value. */
    private Settings mapNode(String key) {
        known.add(key);
        Config child = node.get(key);
        if (!child.exists() || blankValue(child)) {
            return null;
        }
        if (child.type() != Config.Type.OBJECT) {
            throw new InvalidConfigException(key(key), "must be a map of names to values (YAML 'name: value' entries)");
        }
        return new Settings(child, effective);
    }

    private List<String> childNames() {
        List<String> names = new ArrayList<>();
        for (Config child : node.asNodeList().orElse(List.of())) {
            names.add(child.name());
        }
        return names;
    }

    private static boolean blankValue(Config node) {
        return node.isLeaf() && node.asString().asOptional().map(String::isBlank).orElse(true);
    }

    private <T> T parsed(String key, T defaultValue, Function<String, T> parser, String rule) {
        var value = raw(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            return parser.apply(value.get());
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(key(key), rule + " (was '" + value.get() + "')");
        }
    }

    private java.util.Optional<String> raw(String key) {
        known.add(key);
        Config child = node.get(key);
        if (!child.exists()) {
            return java.util.Optional.empty();
        }
        if (!child.isLeaf()) {
            throw new InvalidConfigException(key(key), "must be a single value, not a section");
        }
        return child.asString().asOptional();
    }

    static Duration parseDuration(String key, String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        Matcher shortForm = SHORT_DURATION.matcher(value);
        if (shortForm.matches()) {
            long amount = Long.parseLong(shortForm.group(1));
            return switch (shortForm.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
        try {
            return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new InvalidConfigException(key, "must be a duration such as 150ms, 2s, 5m or PT0.15S (was '" + text + "')");
        }
    }

    /** Formats a duration the way it is written in config files. */
    public static String format(Duration duration) {
        if (duration == null) {
            return "none";
        }
        long millis = duration.toMillis();
        if (millis % 1000 != 0 || millis == 0) {
            return millis + "ms";
        }
        return millis / 1000 + "s";
    }
}
