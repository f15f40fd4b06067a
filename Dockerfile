# Keyline's container image: a JRE, the gateway's jar and its libraries, nothing else.
#
#   ./keyline image                       builds keyline:local (here, from a locally built base: see below)
#   docker build -t keyline .             the same, where Docker Hub can be reached (needs app/target built:
#                                         ./keyline build)
#
# Run it with the configuration mounted read-only and the keys from the environment:
#
#   docker run --rm -p 4000:4000 -v "$PWD/config.yaml:/etc/keyline/config.yaml:ro" \
#       -e TENCENT_API_KEY -e KEYLINE_MASTER_KEY keyline:local
#
# BASE is any image with a Java 21+ runtime on the PATH. Where registries cannot be reached, ./keyline image builds
# keyline-base:local from Debian packages (debootstrap) and a jlink'ed runtime of the installed JDK
# (scripts/build-base-image.sh) and passes it here.
ARG BASE=eclipse-temurin:25-jre
FROM ${BASE}

COPY app/target/libs/ /opt/keyline/libs/
COPY app/target/keyline.jar /opt/keyline/keyline.jar
ENV KEYLINE_JAVA_OPTS="-XX:+UseG1GC -Xms16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:G1PeriodicGCInterval=5000"

# An ahead-of-time cache (JDK 25) recorded with the image's own runtime, as ./keyline does on first build: the
# training run serves every kind of request on loopback, so the gateway starts with those classes already loaded
# and linked (about half the time to ready). A runtime without the feature skips it; the image works either way.
# Adapter stubs are left out: JDK 25.0.3 records some it cannot link again and warns of it at every start.
RUN java $KEYLINE_JAVA_OPTS -XX:+UnlockDiagnosticVMOptions -XX:-AOTAdapterCaching -XX:AOTCacheOutput=/opt/keyline/keyline.aot -jar /opt/keyline/keyline.jar train \
        > /tmp/aot-training.log 2>&1 \
    && chmod 0444 /opt/keyline/keyline.aot \
    || echo "no ahead-of-time cache: $(tail -1 /tmp/aot-training.log)"; rm -f /tmp/aot-training.log

# Not root, and no home or shell needed: a numeric user owns nothing in the image.
USER 10001:10001
EXPOSE 4000

HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
    CMD ["java", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-jar", "/opt/keyline/keyline.jar", "health", "--port", "4000"]

# exec form: java is PID 1 and gets SIGTERM itself, so requests in flight finish before it exits (up to 8 s).
# The cache is used when it is there and fits the JVM's options; otherwise the JVM says so once and starts without it.
ENTRYPOINT ["sh", "-c", "exec java $KEYLINE_JAVA_OPTS $( [ -f /opt/keyline/keyline.aot ] && echo -XX:AOTCache=/opt/keyline/keyline.aot ) -jar /opt/keyline/keyline.jar \"$@\"", "keyline"]
CMD ["serve", "--config", "/etc/keyline/config.yaml", "--host", "0.0.0.0", "--port", "4000"]
