package dev.braid.config;

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

    public static String scrub(String shown) {
        String withoutUsers = USER_INFO.matcher(shown).replaceAll("$1" + MASK + "@");
        return SECRET_PARAMETER.matcher(withoutUsers).replaceAll("$1" + MASK);
    }
}
