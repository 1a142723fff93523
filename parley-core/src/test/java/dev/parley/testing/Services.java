package dev.parley.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * How tests of server-backed stores treat an unreachable server: skipped with a message, or failed
 * when {@code PARLEY_REQUIRE_SERVICES=1} (as CI sets it), so a missing service can never pass silently.
 */
public final class Services {
    private Services() {
    }

    public static boolean required() {
        return "1".equals(System.getenv("PARLEY_REQUIRE_SERVICES"));
    }

    /** Skips (or fails, when services are required) the current test if {@code reachable} is false. */
    public static void require(String service, boolean reachable, String hint) {
        if (reachable) {
            return;
        }
        String message = service + " is not reachable (" + hint + ")";
        if (required()) {
            throw new AssertionError(message + " and PARLEY_REQUIRE_SERVICES=1");
        }
        Assumptions.abort(message + "; skipping. Set PARLEY_REQUIRE_SERVICES=1 to fail instead.");
    }
}
