package dev.parley.bench.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProfileTest {

    @Test
    void aFrameIsAttributedToTheLibraryAndPackageItBelongsTo() {
        assertThat(Profile.componentOf("dev.parley.store.sqlite.GroupCommitWriter")).isEqualTo("Parley store");
        assertThat(Profile.componentOf("dev.parley.Session")).isEqualTo("Parley (core)");
        assertThat(Profile.componentOf("org.eclipse.jetty.http.HttpParser")).isEqualTo("Jetty http");
        assertThat(Profile.componentOf("org.eclipse.jetty.Server")).isEqualTo("Jetty (root)");
        assertThat(Profile.componentOf("tools.jackson.core.json.UTF8StreamJsonParser")).isEqualTo("Jackson");
        assertThat(Profile.componentOf("io.javalin.http.Context")).isEqualTo("io.javalin");
        assertThat(Profile.componentOf("Toplevel")).isEqualTo("Toplevel");
    }
}
