package dev.parley;

/**
 * Root of every exception Parley throws. Unchecked: callers handle the subtypes they care about
 * ({@link NotFoundException}, {@link ConflictException}, {@link InvalidInputException} …).
 */
public class ParleyException extends RuntimeException {
    public ParleyException(String message) {
        super(message);
    }

    public ParleyException(String message, Throwable cause) {
        super(message, cause);
    }
}
