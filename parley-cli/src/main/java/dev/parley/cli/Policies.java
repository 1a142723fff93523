package dev.parley.cli;

import dev.parley.context.ContextPolicy;

/** Reads context policies written on the command line: {@code all}, {@code last:N}, {@code tokens:MAX[:RESERVE]}. */
final class Policies {
    private Policies() {
    }

    static ContextPolicy parse(String text) {
        String[] parts = text.split(":");
        try {
            return switch (parts[0]) {
                case "all" -> {
                    requireParts(text, parts, 1, 1);
                    yield ContextPolicy.all();
                }
                case "last" -> {
                    requireParts(text, parts, 2, 2);
                    yield ContextPolicy.lastMessages(Integer.parseInt(parts[1]));
                }
                case "tokens" -> {
                    requireParts(text, parts, 2, 3);
                    yield ContextPolicy.tokenBudget(Integer.parseInt(parts[1]), parts.length == 3 ? Integer.parseInt(parts[2]) : 0);
                }
                default -> throw new CliException("unknown policy '" + text + "': use all, last:N or tokens:MAX[:RESERVE]");
            };
        } catch (NumberFormatException e) {
            throw new CliException("policy '" + text + "' needs whole numbers: use all, last:N or tokens:MAX[:RESERVE]");
        }
    }

    private static void requireParts(String text, String[] parts, int min, int max) {
        if (parts.length < min || parts.length > max) {
            throw new CliException("malformed policy '" + text + "': use all, last:N or tokens:MAX[:RESERVE]");
        }
    }
}
