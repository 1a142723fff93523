package dev.parley.cli;

/** A mistake on the command line that picocli cannot see (an unreadable file, a malformed key=value …). */
final class CliException extends RuntimeException {
    CliException(String message) {
        super(message);
    }
}
