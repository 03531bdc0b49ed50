# Sourced by bin/dev and .ci/run: puts a JDK 25 on JAVA_HOME and PATH.
# Order: $JAVA_HOME if it is a JDK 25, else the first /usr/lib/jvm/*25* that has one.

jdk_major() {
    "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p'
}

find_jdk25() {
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(jdk_major "$JAVA_HOME")" = "25" ]; then
        echo "$JAVA_HOME"
        return 0
    fi
    for candidate in /usr/lib/jvm/*25*; do
        if [ -x "$candidate/bin/javac" ] && [ "$(jdk_major "$candidate")" = "25" ]; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

if ! JAVA_HOME="$(find_jdk25)"; then
    echo "error: no JDK 25 found: set JAVA_HOME to a JDK 25 or install one under /usr/lib/jvm" >&2
    exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
