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
 *
 * <h2>Sessions: the vault and the key chain</h2>
 * <ul>
 *   <li>{@link dev.parley.privacy.SessionPrivacy} is the privacy hook of chat turns: in a session that sanitises
 *       ({@code SessionPrivacy.enable(session)}), user input and tool results are sanitised before the model and the
 *       store see them; replies, streamed text and tool arguments are restored for the caller and the tools.</li>
 *   <li>{@link dev.parley.privacy.VaultPlaceholderBook} keeps a session's placeholders as vault rows in its store,
 *       written in the same transaction as the turn that issued them; two concurrent turns can never give one
 *       placeholder two meanings (the second re-maps its messages and lands).</li>
 *   <li>Originals are encrypted (AES-GCM) under a per-session data key, wrapped under the user's key-encryption
 *       key, wrapped under the master key ({@code dev.parley.security}). Erasing a user deletes their key-encryption
 *       key, so no copy of their sessions (an export, a backup of the sessions) can be restored any more; a backup of
 *       the key table itself is not shredded by an erasure.</li>
 *   <li>{@link dev.parley.privacy.PrivateSessions} clones and merges sessions giving the new one its own key.</li>
 *   <li>Not sanitised: metadata, state (every scope), message names and metadata, images, and what the model writes
 *       on its own.</li>
 * </ul>
 */
package dev.parley.privacy;
