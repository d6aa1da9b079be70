# Sourced by ./anneau, ./run-tests and .ci/run: finds a JDK 25 and exports JAVA_HOME.
# Order: $ANNEAU_JAVA_HOME, $JAVA_HOME, the usual install folders. Fails with a message that says what to do.
anneau_java_version() { # prints the feature version of a JDK home, or nothing
  local v
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1)
  echo "${v%%.*}"
}
anneau_find_jdk() {
  local c
  for c in "${ANNEAU_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk-arm64 \
           /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/java-25-openjdk-arm64 /usr/lib/jvm/jdk-25* /opt/jdk-25* \
           /Library/Java/JavaVirtualMachines/*25*/Contents/Home; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    if [ "$(anneau_java_version "$c")" -ge 25 ] 2>/dev/null; then export JAVA_HOME="$c"; return 0; fi
  done
  echo "anneau: no JDK 25 found. Install one (e.g. Temurin 25) and set ANNEAU_JAVA_HOME or JAVA_HOME to it." >&2
  echo "        looked at: \$ANNEAU_JAVA_HOME, \$JAVA_HOME, /usr/lib/jvm/*25*, /opt/jdk-25*" >&2
  return 1
}
