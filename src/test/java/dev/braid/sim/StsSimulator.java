package dev.braid.sim;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AWS STS as the AWS SDK's web identity credentials provider sees it (the Query protocol, XML answers):
 * {@code AssumeRoleWithWebIdentity} exchanges the token a Kubernetes service account projects (IRSA) for temporary
 * credentials. Every answer hands out the same credentials, so a test can look for them in the signed calls that follow.
 */
public final class StsSimulator extends HttpSimulator {
    /** The temporary credentials every successful exchange returns. */
    public static final String ACCESS_KEY_ID = "ASIABRAIDSTSSIM00001";
    public static final String SECRET_ACCESS_KEY = "braid-sts-simulated-secret";
    public static final String SESSION_TOKEN = "braid-sts-simulated-session-token";

    public StsSimulator() {
        super("sts", Duration.ZERO);
    }

    /** The form parameters of a recorded request's body. */
    public static Map<String, String> form(RecordedRequest request) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : request.body().split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                         URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    @Override
    protected SimulatedAnswer answer(RecordedRequest request) {
        Map<String, String> form = form(request);
        if (!"POST".equals(request.method()) || !"AssumeRoleWithWebIdentity".equals(form.get("Action"))) {
            return error(400, "InvalidAction", "Could not find operation " + form.get("Action"));
        }
        String role = form.get("RoleArn");
        String token = form.get("WebIdentityToken");
        if (role == null || token == null || token.isBlank()) {
            return error(400, "ValidationError", "RoleArn and WebIdentityToken are required");
        }
        String session = form.getOrDefault("RoleSessionName", "session");
        String expiration = Instant.now().plus(Duration.ofHours(1)).toString();
        return xml(200, """
                <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <AssumeRoleWithWebIdentityResult>
                    <SubjectFromWebIdentityToken>system:serviceaccount:braid:braid</SubjectFromWebIdentityToken>
                    <AssumedRoleUser>
                      <Arn>%s/%s</Arn>
                      <AssumedRoleId>AROABRAIDSIM:%s</AssumedRoleId>
                    </AssumedRoleUser>
                    <Credentials>
                      <AccessKeyId>%s</AccessKeyId>
                      <SecretAccessKey>%s</SecretAccessKey>
                      <SessionToken>%s</SessionToken>
                      <Expiration>%s</Expiration>
                    </Credentials>
                    <Audience>sts.amazonaws.com</Audience>
                  </AssumeRoleWithWebIdentityResult>
                  <ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000001</RequestId></ResponseMetadata>
                </AssumeRoleWithWebIdentityResponse>
                """.formatted(role.replace(":role/", ":assumed-role/"), session, session, ACCESS_KEY_ID,
                              SECRET_ACCESS_KEY, SESSION_TOKEN, expiration));
    }

    @Override
    protected SimulatedAnswer serverError() {
        return error(500, "InternalFailure", "simulated failure");
    }

    @Override
    protected SimulatedAnswer throttled() {
        return error(400, "Throttling", "Rate exceeded");
    }

    @Override
    protected SimulatedAnswer malformed() {
        return xml(200, "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>");
    }

    private static SimulatedAnswer error(int status, String code, String message) {
        return xml(status, """
                <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error>
                  <RequestId>00000000-0000-0000-0000-000000000002</RequestId>
                </ErrorResponse>
                """.formatted(code, message));
    }

    private static SimulatedAnswer xml(int status, String body) {
        return new SimulatedAnswer(status, Map.of("Content-Type", "text/xml"), body.getBytes(StandardCharsets.UTF_8));
    }
}
