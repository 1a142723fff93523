package dev.parley.store.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script shipped with the store (a resource next to this class), run by its SHA-1 digest so the
 * text crosses the network only the first time each server sees it.
 */
enum Script {
    WRITE("write.lua"),
    PLAN("plan.lua"),
    PATH("path.lua"),
    RANGE("range.lua"),
    READ("read.lua"),
    DELETE("delete.lua"),
    CLAIM("claim.lua"),
    RELEASE("release.lua"),
    PRUNE("prune.lua"),
    SCOPED("scoped.lua"),
    RESERVE("reserve.lua"),
    SETTLE("settle.lua"),
    USER_KEY("userkey.lua"),
    REKEY("rekey.lua"),
    UNKEY("unkey.lua"),
    KEY_PAGE("keypage.lua"),
    UNHINT("unhint.lua");

    private final String source;
    private final String sha;

    Script(String resource) {
        try (InputStream in = Script.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + resource);
            }
            this.source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read script resource " + resource, e);
        }
        try {
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }

    String source() {
        return source;
    }

    String sha() {
        return sha;
    }
}
