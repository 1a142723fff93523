package dev.parley.bench.compare;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The versions of the peers as they are on the classpath, read from their jars, so the report cannot drift from the pom. */
final class Versions {
    static final String SPRING_AI = of("org.springframework.ai", "spring-ai-model");
    static final String LANGCHAIN4J = of("dev.langchain4j", "langchain4j-core");
    static final String LANGCHAIN4J_REDIS = of("dev.langchain4j", "langchain4j-community-redis");
    static final String JEDIS = of("redis.clients", "jedis");
    static final String SQLITE_JDBC = of("org.xerial", "sqlite-jdbc");
    /** pgjdbc is built without pom.properties; its own constant says its version. */
    static final String PGJDBC = org.postgresql.util.DriverInfo.DRIVER_VERSION;

    private Versions() {
    }

    /** The version in the jar's {@code META-INF/maven/<group>/<artifact>/pom.properties}. */
    static String of(String group, String artifact) {
        String resource = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = Versions.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(group + ":" + artifact + " is not on the classpath (no " + resource + ")");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
