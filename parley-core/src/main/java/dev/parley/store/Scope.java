package dev.parley.store;

import dev.parley.domain.UserId;

import java.util.Objects;

/** Where a piece of state lives outside the history tree: per user, or for the whole tenant (app). */
public sealed interface Scope {
    record User(UserId user) implements Scope {
        public User {
            Objects.requireNonNull(user, "user");
        }
    }

    record App() implements Scope {
    }

    static Scope user(UserId user) {
        return new User(user);
    }

    static Scope app() {
        return new App();
    }
}
