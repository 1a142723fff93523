/**
 * Finding personal data and secrets in text, replacing them before the text reaches a model or a disk, and putting
 * the originals back in what comes back.
 *
 * <pre>{@code
 * Sanitizer sanitizer = Sanitizer.builder()
 *         .detector(Detectors.combine(Detectors.defaults(List.of("US", "GB")),
 *                 Detectors.regex("EMPLOYEE_ID", "EMP-[0-9]{6}")))
 *         .policy(SanitizerPolicy.defaults().with(EntityType.SECRET, Action.REDACT))
 *         .build();
 * PlaceholderBook book = new InMemoryPlaceholderBook();   // one per session, kept across turns
 *
 * Sanitized prompt = sanitizer.sanitize("Mail bob@example.com, my key is sk_test_…", book);
 * // prompt.text(): "Mail <EMAIL_1>, my key is [REDACTED_SECRET]"
 *
 * String reply = Restorer.restore("I will write to <EMAIL_1>.", book);
 * // "I will write to bob@example.com."
 * }</pre>
 *
 * <ul>
 *   <li>{@link dev.parley.privacy.Detector} is the SPI: findings {@code (type, start, end, score)} with offsets in
 *       UTF-16 code units, end exclusive. {@link dev.parley.privacy.Detectors} has the built-ins, custom regex and
 *       dictionary detectors, and combines detectors (overlaps: higher score, then longer, then earlier).</li>
 *   <li>{@link dev.parley.privacy.Sanitizer} applies a {@link dev.parley.privacy.SanitizerPolicy}: per type
 *       {@link dev.parley.privacy.Action#PSEUDONYMISE} (the default), {@code REDACT}, {@code MASK} or {@code KEEP}.</li>
 *   <li>{@link dev.parley.privacy.PlaceholderBook} is a session's memory of placeholders: the same value keeps its
 *       placeholder across turns, and placeholder-shaped text the user wrote is never confused with one.</li>
 *   <li>{@link dev.parley.privacy.Restorer} restores in one pass; {@link dev.parley.privacy.StreamingRestorer}
 *       restores a streamed reply chunk by chunk, holding back only what could still become a placeholder.</li>
 * </ul>
 *
 * <p>Every built-in detector and the restorers run in time linear in their input, so a very large or hostile message
 * cannot stall a server; custom patterns run on RE2/J for the same reason.
 */
package dev.parley.privacy;
