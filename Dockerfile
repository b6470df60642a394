# Build: Maven on a JDK 17 image produces target/dhis2-sync.jar (same as `mvn -B -DskipTests package`).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml .
RUN mvn -B -ntp dependency:go-offline
COPY src src
COPY config config
RUN mvn -B -ntp -DskipTests package

# Run: JRE 17, non-root user, routes/ and config/ overridable by volumes, bookkeeping data on a volume.
FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /opt/dhis2-sync dhis2sync
WORKDIR /opt/dhis2-sync
COPY --from=build /build/target/dhis2-sync.jar dhis2-sync.jar
COPY config config
COPY routes routes
RUN mkdir -p data && chown -R dhis2sync:dhis2sync /opt/dhis2-sync
USER dhis2sync
# data/pg: embedded PostgreSQL (when sync.db.url is empty); mount config/ and routes/ to change them without a rebuild
VOLUME ["/opt/dhis2-sync/data"]
EXPOSE 8080
# liveness only: an unreachable DHIS2 (normal at an offline field site) is a readiness matter, not a reason to restart
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/observe/health/live || exit 1
ENTRYPOINT ["java", "-jar", "dhis2-sync.jar"]
CMD ["run", "--config", "config/application.properties"]
