package dev.braid.k8s;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JVM flags a pod's java launcher reads: JDK_JAVA_OPTIONS of the braid container, split as the launcher splits it. */
record JvmOptions(List<String> flags) {
    static final String VARIABLE = "JDK_JAVA_OPTIONS";

    static JvmOptions of(Rendered rendered) {
        String value = rendered.env(VARIABLE);
        if (value == null) {
            throw new AssertionError(rendered.overlay() + ": the braid container sets no " + VARIABLE);
        }
        return new JvmOptions(Arrays.stream(value.trim().split("\\s+")).toList());
    }

    /** The value of -Dname=value; an AssertionError when absent. */
    String systemProperty(String name) {
        return value("-D" + name + "=");
    }

    /** The value of -XX:Name=value; an AssertionError when absent. */
    String option(String name) {
        return value("-XX:" + name + "=");
    }

    boolean has(String flag) {
        return flags.contains(flag);
    }

    /** -XX:Name=a=1,b=2 as {a=1, b=2} (StartFlightRecording, FlightRecorderOptions). */
    Map<String, String> parameters(String name) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : option(name).split(",")) {
            String[] parts = pair.split("=", 2);
            parameters.put(parts[0], parts.length == 2 ? parts[1] : "");
        }
        return parameters;
    }

    private String value(String prefix) {
        return flags.stream().filter(f -> f.startsWith(prefix)).map(f -> f.substring(prefix.length())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + "... in " + flags));
    }
}
