package dev.braid.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Hides credentials in a setting as it is shown (in {@code /admin/config}, in logs): the user info of a URL
 * ({@code redis://:secret@host}, {@code https://user:pass@host}) and the values of query parameters that carry secrets
 * ({@code ?token=...}). Records redact their own secret fields; this catches those that hide inside another value.
 */
public final class Redaction {
    private static final String MASK = "***";
    private static final Pattern USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/@\\s\\],]+@");
    /** A parameter whose name holds a secret's word anywhere: {@code token}, {@code X-Amz-Signature}, {@code apiKey}. */
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)([?&;][^=&\\s\\],]*(?:token|key|secret|password|passwd|pwd|signature|sig|auth|credential)"
            + "[^=&\\s\\],]*=)[^&\\s\\],']+");

    private Redaction() {
    }

    /** A setting whose name says it holds a secret: its value is never shown, only whether one is set. */
    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i).*(token|secret|password|passwd|credential|api-key|apikey|private-key).*");

    /**
     * A configuration tree (nested maps and lists, as {@link Settings#effective()} gives it) fit to show: settings
     * named as secrets are {@code ***} when set, and every other text is {@link #scrub scrubbed}.
     */
    public static Map<String, Object> tree(Map<String, Object> settings) {
        Map<String, Object> shown = new LinkedHashMap<>();
        settings.forEach((key, value) -> shown.put(key, SECRET_KEY.matcher(key).matches() ? hidden(value) : shown(value)));
        return shown;
    }

    @SuppressWarnings("unchecked")
    private static Object shown(Object value) {
        return switch (value) {
            case Map<?, ?> map -> tree((Map<String, Object>) map);
            case List<?> list -> list.stream().map(Redaction::shown).toList();
            case String text -> scrub(text);
            case null -> null;
            default -> value;
        };
    }

    private static Object hidden(Object value) {
        return switch (value) {
            case null -> null;
            case String text when text.isEmpty() -> "";
            case List<?> list -> list.stream().map(element -> MASK).toList();
            case Map<?, ?> map -> tree(map.keySet().stream().collect(
                    LinkedHashMap::new, (masked, key) -> masked.put(String.valueOf(key), MASK), Map::putAll));
            default -> MASK;
        };
    }

    public static String scrub(String shown) {
        String withoutUsers = USER_INFO.matcher(shown).replaceAll("$1" + MASK + "@");
        return SECRET_PARAMETER.matcher(withoutUsers).replaceAll("$1" + MASK);
    }
}
