#!/usr/bin/env bash
# Apache Kafka at one pinned version, from Maven Central: the broker (kafka_2.13) and its tools, every jar in one
# lib folder under a cache outside the clone, run as `java -cp 'lib/*' kafka.Kafka server.properties`.
# Prints the lib folder.
set -euo pipefail
version=${KAFKA_VERSION:-4.1.1}
cache="${CLUSTERBOOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/clusterboot}"
lib="$cache/kafka-$version/libs"
if [ -f "$lib/.complete" ]; then
  echo "$lib"
  exit 0
fi
work="$cache/kafka-$version/pom"
mkdir -p "$work" "$lib"
cat > "$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>clusterboot.local</groupId>
  <artifactId>kafka-libs</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$version</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>$version</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-storage</artifactId><version>$version</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>2.24.3</version></dependency>
  </dependencies>
</project>
POM
mvn -q -f "$work/pom.xml" -Dmaven.repo.local="$cache/maven" dependency:copy-dependencies -DoutputDirectory="$lib" >&2
touch "$lib/.complete"
echo "$lib"
