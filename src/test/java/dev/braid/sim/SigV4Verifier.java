package dev.braid.sim;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What an AWS service does with a request signed with Signature Version 4, written from AWS's description of the
 * algorithm and nothing of the SDK's: it rebuilds the canonical request from the bytes received (method, path, query,
 * the headers the signature names, the body's hash), derives the signing key from the secret it knows for the access
 * key, and compares signatures. Anything that does not add up is refused with the reason AWS gives.
 */
public final class SigV4Verifier {
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/,\\s]+)/(\\d{8})/([^/,\\s]+)/([^/,\\s]+)/aws4_request,\\s*"
            + "SignedHeaders=([a-z0-9;_.-]+),\\s*Signature=([0-9a-f]{64})");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final HexFormat HEX = HexFormat.of();

    private final String service;
    private final String region;
    private final Clock clock;
    private final Duration skew;
    private final Map<String, Key> keys = new ConcurrentHashMap<>();

    /** An access key's secret and, for temporary credentials, the session token that must come with it. */
    private record Key(String secret, String sessionToken) {
    }

    /** The service's answer: accepted, or refused and why. */
    public record Verdict(boolean accepted, String reason) {
        static final Verdict OK = new Verdict(true, "");

        static Verdict refused(String reason) {
            return new Verdict(false, reason);
        }
    }

    /**
     * Accepts requests for {@code service} in {@code region} dated within {@code skew} of {@code clock} (AWS allows
     * fifteen minutes), signed by a key {@link #accept}ed.
     */
    public SigV4Verifier(String service, String region, Clock clock, Duration skew) {
        this.service = service;
        this.region = region;
        this.clock = clock;
        this.skew = skew;
    }

    /** Knows {@code accessKeyId} by {@code secret}; with a {@code sessionToken} (temporary credentials), only with it. */
    public void accept(String accessKeyId, String secret, String sessionToken) {
        keys.put(accessKeyId, new Key(secret, sessionToken));
    }

    /** Forgets every key: what a service does once credentials are revoked or expire. */
    public void forgetKeys() {
        keys.clear();
    }

    /**
     * Checks one request as received.
     *
     * @param rawPath  the path as sent, still percent-encoded
     * @param rawQuery the query as sent, or {@code null}
     * @param headers  header name (any case) → values
     */
    public Verdict verify(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {
        String authorization = header(headers, "authorization");
        if (authorization == null) {
            return Verdict.refused("Missing Authentication Token");
        }
        Matcher parts = AUTHORIZATION.matcher(authorization.trim());
        if (!parts.matches()) {
            return Verdict.refused("Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' of "
                                   + ALGORITHM);
        }
        String accessKeyId = parts.group(1);
        String scopeDate = parts.group(2);
        List<String> signedHeaders = Arrays.asList(parts.group(5).split(";"));
        Key key = keys.get(accessKeyId);
        if (key == null) {
            return Verdict.refused("The security token included in the request is invalid.");
        }
        if (!parts.group(3).equals(region) || !parts.group(4).equals(service)) {
            return Verdict.refused("Credential should be scoped to a valid region and service: " + region + "/"
                                   + service + ", not " + parts.group(3) + "/" + parts.group(4));
        }
        String amzDate = header(headers, "x-amz-date");
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(String.valueOf(amzDate), AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return Verdict.refused("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header");
        }
        if (!amzDate.startsWith(scopeDate)) {
            return Verdict.refused("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date");
        }
        Instant now = clock.instant();
        if (Duration.between(signedAt, now).abs().compareTo(skew) > 0) {
            return Verdict.refused("Signature expired: " + amzDate + " is now earlier than "
                                   + AMZ_DATE.format(LocalDateTime.ofInstant(now.minus(skew), ZoneOffset.UTC)));
        }
        if (!signedHeaders.contains("host") || !signedHeaders.contains("x-amz-date")) {
            return Verdict.refused("SignedHeaders must include host and x-amz-date");
        }
        if (!signedHeaders.equals(signedHeaders.stream().sorted().toList())) {
            return Verdict.refused("SignedHeaders must be sorted");
        }
        String sessionToken = header(headers, "x-amz-security-token");
        if (!Objects.equals(sessionToken, key.sessionToken())) {
            return Verdict.refused("The security token included in the request is invalid.");
        }
        if (sessionToken != null && !signedHeaders.contains("x-amz-security-token")) {
            return Verdict.refused("x-amz-security-token must be signed");
        }
        String bodyHash = HEX.formatHex(sha256(body));
        String claimedHash = header(headers, "x-amz-content-sha256");
        if (claimedHash != null && !claimedHash.equals(bodyHash)) {
            return Verdict.refused("The provided 'x-amz-content-sha256' header does not match what was computed.");
        }
        String canonicalRequest = String.join("\n", method, canonicalUri(rawPath), canonicalQuery(rawQuery),
                                              canonicalHeaders(headers, signedHeaders), String.join(";", signedHeaders),
                                              bodyHash);
        String scope = scopeDate + "/" + region + "/" + service + "/aws4_request";
        String stringToSign = String.join("\n", ALGORITHM, amzDate, scope,
                                          HEX.formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8))));
        byte[] expected = hmac(signingKey(key.secret(), scopeDate), stringToSign);
        if (!MessageDigest.isEqual(expected, HEX.parseHex(parts.group(6)))) {
            return Verdict.refused("The request signature we calculated does not match the signature you provided. "
                                   + "Check your AWS Secret Access Key and signing method.");
        }
        return Verdict.OK;
    }

    /** Every path segment percent-encoded once more (services other than S3 sign the path encoded twice). */
    static String canonicalUri(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        return Arrays.stream(rawPath.split("/", -1)).map(SigV4Verifier::encode).collect(Collectors.joining("/"));
    }

    /** Parameters decoded, then encoded the one canonical way, sorted by name and then value. */
    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            pairs.add(new String[] {encode(decode(name)), encode(decode(value))});
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        return pairs.stream().map(pair -> pair[0] + "=" + pair[1]).collect(Collectors.joining("&"));
    }

    private static String canonicalHeaders(Map<String, List<String>> headers, List<String> signed) {
        StringBuilder canonical = new StringBuilder();
        for (String name : signed) {
            List<String> values = new ArrayList<>();
            headers.forEach((key, list) -> {
                if (key.equalsIgnoreCase(name)) {
                    list.forEach(value -> values.add(value.trim().replaceAll(" +", " ")));
                }
            });
            canonical.append(name).append(':').append(String.join(",", values)).append('\n');
        }
        // The block ends with its own newline, and the canonical request's separator follows it: as AWS specifies.
        return canonical.toString();
    }

    /** RFC 3986 encoding: only unreserved characters stay as they are, spaces become %20, hex digits upper case. */
    private static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        return out.toString();
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    private byte[] signingKey(String secret, String date) {
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        return hmac(key, "aws4_request");
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String header(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
                return entry.getValue().getFirst();
            }
        }
        return null;
    }
}
