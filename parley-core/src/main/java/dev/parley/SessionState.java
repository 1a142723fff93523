package dev.parley;

/**
 * The four scopes of state a session sees: {@code session} (follows the branch; versioned),
 * {@code user} (shared by the user's sessions; preferences, profile), {@code app} (shared by the
 * tenant) and {@code temp} (this process only, never persisted).
 */
public interface SessionState {
    StateScope session();

    StateScope user();

    /** The user's preferences: user-scope state. */
    default StateScope preferences() {
        return user();
    }

    StateScope app();

    StateScope temp();
}
